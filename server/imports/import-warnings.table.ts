import { sql, type Kysely } from "kysely";
import type { Database } from "../../db/schema.js";
import type { RowWarning } from "./rows/row-encoder.js";

/** Stores a stretch of the file's warnings, each line's in the order they were found. */
export async function insertRowWarnings(db: Kysely<Database>, importId: string, warnings: RowWarning[]): Promise<void> {
  if (!warnings.length) return;
  const lines = warnings.map((warning) => warning.line);
  const messages = warnings.map((warning) => warning.message.replaceAll("\0", "\uFFFD"));
  await sql`
    INSERT INTO import_warnings (import_id, line, at, message)
    SELECT ${importId}, line, row_number() OVER (PARTITION BY line ORDER BY ordinal), message
    FROM unnest(${lines}::int[], ${messages}::text[]) WITH ORDINALITY AS given(line, message, ordinal)
    ON CONFLICT DO NOTHING`.execute(db);
}

export async function listRowWarnings(db: Kysely<Database>, importId: string, page: number, pageSize: number) {
  const [items, total] = await Promise.all([
    db
      .selectFrom("import_warnings")
      .select(["line", "message"])
      .where("import_id", "=", importId)
      .orderBy("line")
      .orderBy("at")
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    db
      .selectFrom("import_warnings")
      .select((eb) => eb.fn.countAll<string>().as("count"))
      .where("import_id", "=", importId)
      .executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.count) };
}
