import { sql, type Kysely } from "kysely";
import type { Database } from "../../../db/schema.js";

/**
 * A row not brought in: none took it, or the import that did failed or was cancelled (its rows are
 * open again). Few imports fail, so this is a small hashed set, not a join per row.
 */
export const notBroughtIn = sql<boolean>`(brought_in_by IS NULL OR brought_in_by IN (SELECT id FROM imports WHERE status IN ('failed', 'cancelled')))`;

/** An import's fixed rows still to bring in, by line: their cells as fixed. */
export async function fixedRowsOf(db: Kysely<Database>, importId: string): Promise<{ line: number; cells: string[] }[]> {
  // As JSON text: parsing 100,000 Postgres text arrays in JavaScript takes most of a second, JSON a tenth of it.
  const { rows } = await sql<{ line: number; cells: string }>`
    SELECT line, to_json(coalesce(edited, fields))::text AS cells FROM import_errors
    WHERE import_id = ${importId} AND fixed AND NOT dropped AND ${notBroughtIn}
    ORDER BY line`.execute(db);
  return rows.map(({ line, cells }) => ({ line, cells: JSON.parse(cells) as string[] }));
}

/** The rows are in (`by` took them): they leave the list of rows to fix, and the import counts them fixed. */
export async function bringIn(db: Kysely<Database>, importId: string, by: string, lines: number[]): Promise<void> {
  if (!lines.length) return;
  // One array parameter, however many lines (a statement takes at most 65,535 parameters).
  await db
    .updateTable("import_errors")
    .set({ brought_in_by: by })
    .where("import_id", "=", importId)
    .where("line", "=", sql<number>`ANY(${lines}::int[])`)
    .execute();
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
