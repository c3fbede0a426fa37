import { sql, type Kysely } from "kysely";
import type { Database } from "../../../db/schema.js";
import type { FieldDefinition } from "../../products/custom-fields/field-values.schema.js";
import type { ResolvedColumns } from "../../mappings/resolve-columns.js";
import { stagingTable } from "./staging-table.js";

/**
 * A new product must hold every required custom field. The parse worker rejects an empty cell of a
 * mapped required column (unless `emptyCells=keep`, where an empty cell means "keep the stored
 * value"); rows of SKUs the catalog lacks that still miss one (the file has no such column, or left
 * the cell empty under `keep`) move from the staged rows to the rejected ones here, in one
 * statement, naming the fields they miss. Their cells come back from what was staged (the mapped
 * SKU, name and description).
 */
export async function rejectNewWithoutRequired(
  db: Kysely<Database>,
  importId: string,
  columns: Pick<ResolvedColumns, "header" | "index" | "attributes">,
  fields: readonly FieldDefinition[],
): Promise<number> {
  const required = fields.filter((field) => field.required);
  if (!required.length) return 0;
  const cells = columns.header.map((_, at) =>
    at === columns.index.sku ? sql`s.sku` : at === columns.index.name ? sql`s.name` : at === columns.index.description ? sql`s.description` : sql`''`,
  );
  const keys = required.map((field) => field.key);
  const labels = required.map((field) => field.label);
  const result = await sql`
    WITH gone AS (
      DELETE FROM ${stagingTable(importId)} AS s
      WHERE NOT (coalesce(${columns.attributes.length ? sql`s.attributes` : sql`NULL`}, '{}') ?& ${keys}::text[])
        AND NOT EXISTS (SELECT 1 FROM products AS p WHERE sku_key(p.sku) = sku_key(s.sku))
      RETURNING s.line, ${columns.attributes.length ? sql`s.attributes` : sql`'{}'::jsonb`} AS attributes, ARRAY[${sql.join(cells)}]::text[] AS cells
    )
    INSERT INTO import_errors (import_id, line, message, fields)
    SELECT ${importId}, line,
           array_to_string(missing, ', ') || CASE WHEN cardinality(missing) = 1 THEN ' is' ELSE ' are' END || ' required for a new product',
           cells
    FROM gone
    CROSS JOIN LATERAL (
      SELECT ARRAY(SELECT label FROM unnest(${keys}::text[], ${labels}::text[]) AS f(key, label) WHERE NOT gone.attributes ? key) AS missing
    ) AS named
    ON CONFLICT DO NOTHING`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
