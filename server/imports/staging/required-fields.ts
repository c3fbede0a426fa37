import { sql, type Kysely } from "kysely";
import type { Database } from "../../../db/schema.js";
import type { FieldDefinition } from "../../products/custom-fields/field-values.schema.js";
import type { ResolvedColumns } from "../../mappings/resolve-columns.js";
import { stagingTable } from "./staging-table.js";

/**
 * A new product must hold every required custom field. The parse worker rejects a mapped required
 * column's empty cell; a file without the column at all can only update products, so its rows of
 * SKUs the catalog lacks move from the staged rows to the rejected ones here, in one statement.
 * Their cells come back from what was staged (the mapped SKU, name and description).
 */
export async function rejectNewWithoutRequired(
  db: Kysely<Database>,
  importId: string,
  columns: Pick<ResolvedColumns, "header" | "index" | "attributes">,
  fields: readonly FieldDefinition[],
): Promise<number> {
  const mapped = new Set(columns.attributes.map(({ field }) => field.key));
  const missing = fields.filter((field) => field.required && !mapped.has(field.key));
  if (!missing.length) return 0;
  const names = missing.map((field) => field.label).join(", ");
  const message = `${names} ${missing.length === 1 ? "is" : "are"} required for a new product, and the file has no column for ${missing.length === 1 ? "it" : "them"}`;
  const cells = columns.header.map((_, at) =>
    at === columns.index.sku ? sql`s.sku` : at === columns.index.name ? sql`s.name` : at === columns.index.description ? sql`s.description` : sql`''`,
  );
  const result = await sql`
    WITH gone AS (
      DELETE FROM ${stagingTable(importId)} AS s
      WHERE NOT EXISTS (SELECT 1 FROM products AS p WHERE sku_key(p.sku) = sku_key(s.sku))
      RETURNING s.line, ARRAY[${sql.join(cells)}]::text[] AS cells
    )
    INSERT INTO import_errors (import_id, line, message, fields)
    SELECT ${importId}, line, ${message}, cells FROM gone
    ON CONFLICT DO NOTHING`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
