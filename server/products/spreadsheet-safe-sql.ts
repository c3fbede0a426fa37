import { sql, type RawBuilder } from "kysely";
import { MARK, MARKED_FIRST } from "../files/formula-cells.js";

/**
 * `spreadsheetSafe` (server/files/formula-cells.ts) in SQL, for exports Postgres writes itself
 * (COPY … TO STDOUT). Apart from it so that reading files (in a parse worker too) does not load Kysely.
 */
export function spreadsheetSafeSql(column: RawBuilder<unknown>): RawBuilder<string> {
  const marked = sql.join([...MARKED_FIRST].map((char) => sql.lit(char)));
  return sql<string>`CASE WHEN left(${column}, 1) IN (${marked}) THEN ${sql.lit(MARK)} || ${column} ELSE ${column} END`;
}
