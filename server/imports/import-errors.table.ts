import { sql, type Kysely } from "kysely";
import type { Database } from "../../db/schema.js";
import type { RejectedRow } from "./rows/validate-row.js";

// Postgres text cannot hold NUL; the stored copy shows where it was.
const storable = (value: string) => (value.includes("\0") ? value.replaceAll("\0", "\uFFFD") : value);

export async function insertRejectedRows(db: Kysely<Database>, importId: string, rows: RejectedRow[]): Promise<void> {
  if (!rows.length) return;
  const payload = JSON.stringify(
    rows.map((row) => ({ line: row.line, message: storable(row.message), fields: row.fields.map(storable), field: row.field ?? null })),
  );
  await sql`
    INSERT INTO import_errors (import_id, line, message, fields, field)
    SELECT ${importId}, (e->>'line')::int, e->>'message', ARRAY(SELECT jsonb_array_elements_text(e->'fields')), e->>'field'
    FROM jsonb_array_elements(${payload}::jsonb) AS e
    ON CONFLICT DO NOTHING`.execute(db);
}

export async function listRejectedRows(db: Kysely<Database>, importId: string, page: number, pageSize: number) {
  const [items, total] = await Promise.all([
    db
      .selectFrom("import_errors")
      .select(["line", "message", "fields"])
      .where("import_id", "=", importId)
      .orderBy("line")
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    db
      .selectFrom("import_errors")
      .select((eb) => eb.fn.countAll<string>().as("count"))
      .where("import_id", "=", importId)
      .executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.count) };
}

/** Pages through all rejected rows in line order without holding them all in memory. */
export async function* eachRejectedRow(db: Kysely<Database>, importId: string, batchSize = 2000) {
  let afterLine = 0;
  for (;;) {
    const batch = await db
      .selectFrom("import_errors")
      .select(["line", "message", "fields"])
      .where("import_id", "=", importId)
      .where("line", ">", afterLine)
      .orderBy("line")
      .limit(batchSize)
      .execute();
    yield* batch;
    if (batch.length < batchSize) return;
    afterLine = batch[batch.length - 1]!.line;
  }
}
