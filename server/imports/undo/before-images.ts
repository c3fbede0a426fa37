import { sql, type Kysely } from "kysely";
import type { Database } from "../../../db/schema.js";
import type { ImportRow } from "../imports.table.js";
import { KEPT_COLUMNS, KEPT_PRODUCT_COLUMNS, RESTORED_COLUMNS } from "../../products/before-image.js";
import { beforeImagesTable, stagingPartExists } from "../staging/staging-table.js";

/** How many before-images the import's merge wrote: one per product it changed or removed. */
export const expectedBeforeImages = (row: ImportRow) => row.updated_count - row.unchanged_count + row.removed_count;

/**
 * Whether the import's before-images are all there. They live in an unlogged table (written at
 * COPY speed with the merge): a database crash empties it, and then nothing may be undone from it.
 */
export async function beforeImagesIntact(db: Kysely<Database>, row: ImportRow): Promise<boolean> {
  if (!(await stagingPartExists(db, row.id, "before"))) return false;
  const { rows } = await sql<{ count: string }>`SELECT count(*) AS count FROM ${beforeImagesTable(row.id)}`.execute(db);
  return Number(rows[0]!.count) === expectedBeforeImages(row);
}

const importId = (row: ImportRow) => sql`${row.id}::bigint`;

/** Products the import's values no longer hold: changed (or removed, or re-created) by someone since. */
export async function changedSince(db: Kysely<Database>, row: ImportRow): Promise<{ count: number; examples: string[] }> {
  const before = beforeImagesTable(row.id);
  const { rows } = await sql<{ count: string; examples: string[] | null }>`
    SELECT count(*) AS count, (array_agg(sku ORDER BY sku))[1:5] AS examples FROM (
      SELECT sku FROM products WHERE created_import_id = ${importId(row)} AND values_import_id IS DISTINCT FROM ${importId(row)}
      UNION ALL
      SELECT b.sku FROM ${before} AS b LEFT JOIN products AS p ON p.id = b.product_id
      WHERE b.kind <> 'deleted' AND (p.id IS NULL OR p.values_import_id IS DISTINCT FROM ${importId(row)})
      UNION ALL
      SELECT b.sku FROM ${before} AS b
      WHERE b.kind = 'deleted' AND EXISTS (SELECT 1 FROM products AS p WHERE sku_key(p.sku) = sku_key(b.sku))
    ) AS changed`.execute(db);
  return { count: Number(rows[0]!.count), examples: rows[0]!.examples ?? [] };
}

/** Removes the products the import created that still hold its values. */
export async function removeCreated(db: Kysely<Database>, row: ImportRow): Promise<number> {
  const result = await sql`
    DELETE FROM products WHERE created_import_id = ${importId(row)} AND values_import_id = ${importId(row)}`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

const restoredValues = sql.raw(RESTORED_COLUMNS.map((column) => `${column} = b.${column}`).join(", "));
const keptValues = sql.raw(KEPT_COLUMNS.map((column) => `b.${column}`).join(", "));
const REVERTED = (row: ImportRow) => sql`last_change_kind = 'revert', last_change_import_id = ${importId(row)}, updated_at = now()`;

/** Gives the products the import changed or deactivated their values back, where they still hold its values. */
export async function restoreChanged(db: Kysely<Database>, row: ImportRow): Promise<number> {
  const result = await sql`
    UPDATE products AS p
      SET ${restoredValues}, ${REVERTED(row)}
    FROM ${beforeImagesTable(row.id)} AS b
    WHERE b.kind <> 'deleted' AND p.id = b.product_id AND p.values_import_id = ${importId(row)}`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** Brings back the products a sync deleted, with their ids, unless their SKU has been taken since. */
export async function restoreDeleted(db: Kysely<Database>, row: ImportRow): Promise<number> {
  const result = await sql`
    INSERT INTO products (${sql.raw(KEPT_PRODUCT_COLUMNS.join(", "))}, last_change_kind, last_change_import_id)
    OVERRIDING SYSTEM VALUE
    SELECT ${keptValues}, 'revert', ${importId(row)}
    FROM ${beforeImagesTable(row.id)} AS b
    WHERE b.kind = 'deleted' AND NOT EXISTS (SELECT 1 FROM products AS p WHERE sku_key(p.sku) = sku_key(b.sku))`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
