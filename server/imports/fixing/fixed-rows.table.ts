import { sql, type Kysely } from "kysely";
import type { Database } from "../../../db/schema.js";

/**
 * The rejected rows of `importId` not brought in yet: none of its imports of fixed rows that has not
 * failed took the line, nor did it itself (rows joined to its review). The lines taken are read once
 * per statement (a multirange), and each row is one containment test against them.
 */
export const notBroughtIn = (importId: string) => sql<boolean>`NOT (line <@ coalesce((
  SELECT range_agg(taken) FROM imports AS f, unnest(f.brought_in_lines) AS taken
  WHERE f.brought_in_lines IS NOT NULL
    AND (f.id = ${importId} OR (f.fixes_import_id = ${importId} AND f.status NOT IN ('failed', 'cancelled')))
), '{}'::int4multirange))`;

/** An import's fixed rows still to bring in, by line: their cells as fixed. */
export async function fixedRowsOf(db: Kysely<Database>, importId: string): Promise<{ line: number; cells: string[] }[]> {
  // As JSON text: parsing 100,000 Postgres text arrays in JavaScript takes most of a second, JSON a tenth of it.
  const { rows } = await sql<{ line: number; cells: string }>`
    SELECT line, to_json(coalesce(edited, fields))::text AS cells FROM import_errors
    WHERE import_id = ${importId} AND fixed AND NOT dropped AND ${notBroughtIn(importId)}
    ORDER BY line`.execute(db);
  return rows.map(({ line, cells }) => ({ line, cells: JSON.parse(cells) as string[] }));
}

/**
 * The rows are in: `by` (an import of them, or the import itself, its review joined) records their
 * lines, one row written however many lines; the source counts them fixed.
 */
export async function bringIn(db: Kysely<Database>, importId: string, by: string, lines: number[]): Promise<void> {
  if (!lines.length) return;
  await sql`
    UPDATE imports SET brought_in_lines = coalesce(brought_in_lines, '{}'::int4multirange) + (
      SELECT range_agg(int4range(line, line, '[]')) FROM unnest(${lines}::int[]) AS line)
    WHERE id = ${by}`.execute(db);
  await db
    .updateTable("imports")
    .set({ fixed_count: sql`fixed_count + ${lines.length}` })
    .where("id", "=", importId)
    .execute();
}

/** An import of this one's fixed rows still being staged or applied, if there is one. */
export async function followUpOnItsWay(db: Kysely<Database>, importId: string): Promise<string | null> {
  const row = await db
    .selectFrom("imports")
    .select("id")
    .where("fixes_import_id", "=", importId)
    .where("status", "in", ["uploading", "queued", "processing"])
    .executeTakeFirst();
  return row?.id ?? null;
}
