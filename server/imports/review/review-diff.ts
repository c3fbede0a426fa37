import { sql, type Kysely, type RawBuilder } from "kysely";
import { copyTable, type RowOf } from "../../../db/copy-row.js";
import type { Database, ImportMode } from "../../../db/schema.js";
import { attributesAfter, commerceAfter, descriptionAfter, latestRows, notInFile, type MergePlan } from "../../products/catalog-merge.js";
import { attributeTarget } from "../../mappings/mapping.schema.js";
import type { AttributeValues, ProductOption } from "../../../db/schema.js";
import { COMMERCE_FIELD_SPECS, COMMERCE_FIELDS, emptyOf, isCommerceField, type CommerceField } from "../../products/commerce-fields.schema.js";
import { toCommerceJson, type CommerceJson } from "../../products/product-json.js";
import { COMMERCE_COLUMNS } from "../staging/staged-row.js";
import { stagingTable } from "../staging/staging-table.js";

import { CHANGE_KINDS, type ChangeKind } from "../import.schema.js";

const ORDINAL: Record<ChangeKind, number> = { update: 1, create: 2, remove: 3 };
export const kindOf = (ordinal: number) => CHANGE_KINDS[ordinal - 1]!;

/** Which of the file's rows each mode writes: new SKUs, existing ones, or both. */
const WRITES: Record<ImportMode, readonly ("create" | "update")[]> = {
  upsert: ["create", "update"],
  sync: ["create", "update"],
  "create-only": ["create"],
  "update-only": ["update"],
};

/** Every field a review compares, with its column: the product's values, in the API's order. */
export const COMPARED_FIELDS = ["sku", "name", "description", "active", ...COMMERCE_FIELDS] as const;
export type ComparedField = (typeof COMPARED_FIELDS)[number];
const COMPARED = COMPARED_FIELDS.map((field) => ({ field, column: isCommerceField(field) ? COMMERCE_FIELD_SPECS[field].column : field }));

/** What comparing the file with the catalog found, before the mode decides what counts as what. */
export interface DiffCounts {
  /** SKUs among the accepted rows. */
  distinct: number;
  /** Of those, SKUs the catalog lacks. */
  fresh: number;
  /** SKUs the catalog has whose values the file would change. */
  changing: number;
  /** SKUs the catalog has with the file's values already. */
  same: number;
  /** Of the changing products, how many change each field (`attributes.<key>` for a custom field). */
  changed: Record<string, number>;
  descriptionsEmptied: number;
  deactivated: number;
  activated: number;
  freshInactive: number;
  /** Existing products whose price would fall to less than half of what it is. */
  pricesHalved: number;
  /** Existing products in stock that would have none. */
  outOfStock: number;
  /** Existing products whose barcode would become empty. */
  barcodesEmptied: number;
  /** Existing products with images that would have none. */
  imagesEmptied: number;
  /** Products a sync would deactivate or delete. */
  removing: number;
}

export type DiffPlan = Pick<
  MergePlan,
  "staged" | "kept" | "fileHasActive" | "mode" | "syncAction" | "emptyDescription" | "commerce" | "emptyCells" | "attributes" | "staleAttributes"
> & {
  importId: string;
};

const diffTable = (importId: string) => stagingTable(importId, "diff");

/** A change the review lists: the product's values after the import (null for a deletion) and which fields change. */
const DIFF_ROW = copyTable({
  ordinal: { kind: "integer" },
  position: { kind: "bigint" },
  product_id: { kind: "bigint", nullable: true },
  sku: { kind: "text" },
  name: { kind: "text", nullable: true },
  description: { kind: "text", nullable: true },
  active: { kind: "boolean", nullable: true },
  ...COMMERCE_COLUMNS,
  attributes: { kind: "jsonb", nullable: true },
  changed_fields: { kind: "textArray" },
});
type DiffRow = RowOf<typeof DIFF_ROW.columns>;

/**
 * Each field's value after the import, from the file's last row `l` and the product `p` (null for a
 * new SKU), by the merge's own rules; a commerce field the file does not write keeps the product's.
 */
function valueAfter(plan: DiffPlan, field: ComparedField) {
  switch (field) {
    case "sku":
    case "name":
      return sql.raw(`l.${field}`);
    case "description":
      return descriptionAfter(plan.emptyDescription, sql`l.description`, sql`coalesce(p.description, '')`);
    case "active":
      return sql`CASE WHEN p.id IS NULL THEN coalesce(l.active, true) ELSE coalesce(l.active, p.active) END`;
    default: {
      const column = COMMERCE_FIELD_SPECS[field].column;
      const empty = emptyOf(field);
      const stored = empty ? sql`coalesce(${sql.raw(`p.${column}`)}, ${sql.raw(empty)})` : sql.raw(`p.${column}`);
      return plan.commerce.includes(field) ? commerceAfter(plan, field, sql.raw(`l.${column}`), stored) : stored;
    }
  }
}

const each = (make: (entry: (typeof COMPARED)[number]) => RawBuilder<unknown>) => sql.join(COMPARED.map(make), sql`, `);
const differs = (column: string) => sql.raw(`${column} IS DISTINCT FROM old_${column}`);

/** The attributes after the import (the product's own when the file writes no custom field). */
function attributesValue(plan: DiffPlan) {
  if (!plan.attributes.length) return sql`coalesce(p.attributes, '{}')`;
  return sql`CASE WHEN p.id IS NULL THEN ${attributesAfter(plan, sql`l.attributes`, null)} ELSE ${attributesAfter(plan, sql`l.attributes`, sql`p.attributes`)} END`;
}
/** Whether the custom field `key` changes. */
const attributeDiffers = (key: string) => sql`attributes -> ${key} IS DISTINCT FROM old_attributes -> ${key}`;

/**
 * Compares the staged rows with the catalog in set-based SQL, with the merge's own rules (its last
 * row per SKU, its empty-cell rules), and writes the changes the import would make to the import's
 * diff table for paging. Call in a transaction holding the import's row lock.
 */
export async function computeDiff(db: Kysely<Database>, plan: DiffPlan): Promise<DiffCounts> {
  const diff = diffTable(plan.importId);
  await sql`DROP TABLE IF EXISTS ${diff}`.execute(db);
  await sql`CREATE UNLOGGED TABLE ${diff} ${sql.raw(DIFF_ROW.definition)}`.execute(db);
  const writes = WRITES[plan.mode];
  const latest = latestRows({ staged: plan.staged, progress: sql``, commerce: plan.commerce, attributes: plan.attributes }, false);
  const attributeChanges = plan.attributes.map((key) => sql`CASE WHEN ${attributeDiffers(key)} THEN ${attributeTarget(key)} END`);
  const changedFields = sql`array_remove(ARRAY[${sql.join([
    ...COMPARED.map(({ field, column }) => sql`CASE WHEN ${differs(column)} THEN ${field} END`),
    ...attributeChanges,
  ])}]::text[], NULL)`;
  const hasCommerce = (field: CommerceField) => plan.commerce.includes(field);
  const { rows } = await sql<Record<string, string>>`
    WITH compared AS (
      SELECT sku_key(l.sku) AS key, p.id AS product_id,
             ${each(({ field, column }) => sql`${valueAfter(plan, field)} AS ${sql.raw(column)}`)},
             ${each(({ column }) => sql.raw(`p.${column} AS old_${column}`))},
             ${attributesValue(plan)} AS attributes, p.attributes AS old_attributes
      FROM (${latest}) AS l LEFT JOIN products AS p ON sku_key(p.sku) = sku_key(l.sku)
    ),
    classified AS (
      SELECT *, CASE
          WHEN product_id IS NULL THEN 'create'
          WHEN (${each(({ column }) => sql.raw(column))}, attributes) IS DISTINCT FROM (${each(({ column }) => sql.raw(`old_${column}`))}, old_attributes) THEN 'update'
          ELSE 'same' END AS kind
      FROM compared
    ),
    stored AS (
      INSERT INTO ${diff} (ordinal, position, product_id, ${each(({ column }) => sql.raw(column))}, attributes, changed_fields)
      SELECT CASE kind WHEN 'update' THEN ${ORDINAL.update}::smallint ELSE ${ORDINAL.create}::smallint END,
             row_number() OVER (ORDER BY key), product_id, ${each(({ column }) => sql.raw(column))}, attributes,
             CASE WHEN kind = 'update' THEN ${changedFields} ELSE '{}' END
      FROM classified WHERE kind = ANY(${writes as string[]}::text[])
    )
    SELECT count(*) AS distinct,
           count(*) FILTER (WHERE kind = 'create') AS fresh,
           count(*) FILTER (WHERE kind = 'update') AS changing,
           count(*) FILTER (WHERE kind = 'same') AS same,
           ${each(({ field, column }) => sql`count(*) FILTER (WHERE kind = 'update' AND ${differs(column)}) AS ${sql.id(`changed_${field}`)}`)},
           ${sql.join([
             ...plan.attributes.map(
               (key) => sql`count(*) FILTER (WHERE kind = 'update' AND ${attributeDiffers(key)}) AS ${sql.id(`changed_${attributeTarget(key)}`)}`,
             ),
             sql`0 AS no_attributes`,
           ])},
           count(*) FILTER (WHERE kind = 'update' AND description = '' AND old_description <> '') AS descriptions_emptied,
           count(*) FILTER (WHERE kind = 'update' AND old_active AND NOT active) AS deactivated,
           count(*) FILTER (WHERE kind = 'update' AND NOT old_active AND active) AS activated,
           count(*) FILTER (WHERE kind = 'create' AND NOT active) AS fresh_inactive,
           ${hasCommerce("price") ? sql`count(*) FILTER (WHERE kind = 'update' AND old_price > 0 AND price < old_price / 2)` : sql`0`} AS prices_halved,
           ${hasCommerce("stock") ? sql`count(*) FILTER (WHERE kind = 'update' AND old_stock > 0 AND stock <= 0)` : sql`0`} AS out_of_stock,
           ${hasCommerce("barcode") ? sql`count(*) FILTER (WHERE kind = 'update' AND old_barcode IS NOT NULL AND barcode IS NULL)` : sql`0`} AS barcodes_emptied,
           ${hasCommerce("images") ? sql`count(*) FILTER (WHERE kind = 'update' AND old_images <> '{}' AND images = '{}')` : sql`0`} AS images_emptied
    FROM classified`.execute(db);
  const removing = plan.mode === "sync" ? await storeRemovals(db, plan) : 0;
  await sql`CREATE INDEX ON ${diff} (ordinal, position)`.execute(db);
  const n = (name: string) => Number(rows[0]![name]);
  return {
    distinct: n("distinct"),
    fresh: n("fresh"),
    changing: n("changing"),
    same: n("same"),
    changed: Object.fromEntries([...COMPARED_FIELDS, ...plan.attributes.map(attributeTarget)].map((field) => [field, n(`changed_${field}`)])),
    descriptionsEmptied: n("descriptions_emptied"),
    deactivated: n("deactivated"),
    activated: n("activated"),
    freshInactive: n("fresh_inactive"),
    pricesHalved: n("prices_halved"),
    outOfStock: n("out_of_stock"),
    barcodesEmptied: n("barcodes_emptied"),
    imagesEmptied: n("images_emptied"),
    removing,
  };
}

/** A sync's removals: the catalog's products the file does not name (its rejected rows' included). */
async function storeRemovals(db: Kysely<Database>, plan: DiffPlan): Promise<number> {
  const deactivates = plan.syncAction === "deactivate";
  const result = await sql`
    INSERT INTO ${diffTable(plan.importId)} (ordinal, position, product_id, ${each(({ column }) => sql.raw(column))}, attributes, changed_fields)
    SELECT ${ORDINAL.remove}::smallint, row_number() OVER (ORDER BY sku_key(p.sku)), p.id,
           ${each(({ column }) => (column === "sku" ? sql`p.sku` : !deactivates ? sql`NULL` : column === "active" ? sql`false` : sql.raw(`p.${column}`)))},
           ${deactivates ? sql`p.attributes` : sql`NULL`},
           ${deactivates ? sql`'{active}'` : sql`'{}'`}
    FROM products AS p WHERE ${notInFile(plan)}`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

export interface StoredChange {
  kind: ChangeKind;
  productId: string | null;
  /** The product's values after the import; null for one a sync deletes. */
  after: ({ sku: string; name: string; description: string; active: boolean } & CommerceJson & { attributes: AttributeValues }) | null;
  /** The fields that change: COMPARED_FIELDS's, and `attributes.<key>` for a custom field. */
  changedFields: string[];
}

/** One page of the stored changes (of one kind, or all of them in review order); undefined once they are gone. */
export async function readChanges(
  db: Kysely<Database>,
  importId: string,
  options: { kind?: ChangeKind; page: number; pageSize: number },
): Promise<{ rows: (StoredChange & { position: number })[]; total: number }> {
  const diff = diffTable(importId);
  const where = options.kind ? sql`WHERE ordinal = ${ORDINAL[options.kind]}` : sql``;
  const [page, total] = await Promise.all([
    sql<DiffRow>`SELECT * FROM ${diff} ${where} ORDER BY ordinal, position LIMIT ${options.pageSize} OFFSET ${(options.page - 1) * options.pageSize}`.execute(
      db,
    ),
    sql<{ total: string }>`SELECT count(*) AS total FROM ${diff} ${where}`.execute(db),
  ]);
  return {
    total: Number(total.rows[0]!.total),
    rows: page.rows.map((row) => ({
      kind: kindOf(row.ordinal),
      position: Number(row.position),
      productId: row.product_id,
      after:
        row.name === null
          ? null
          : {
              sku: row.sku,
              name: row.name,
              description: row.description ?? "",
              active: row.active ?? true,
              ...toCommerceJson({
                ...row,
                tags: row.tags ? [...row.tags] : [],
                images: row.images ? [...row.images] : [],
                options: (row.options as unknown as ProductOption[] | null) ?? [],
              }),
              attributes: (row.attributes as unknown as AttributeValues | null) ?? {},
            },
      changedFields: [...row.changed_fields],
    })),
  };
}
