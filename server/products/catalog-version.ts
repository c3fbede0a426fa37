import { sql, type Kysely } from "kysely";
import type { Database } from "../../db/schema.js";

/**
 * A number that moves whenever a statement writes the catalog (migration 0007's trigger). A review
 * compares it to tell whether the catalog changed since its counts were computed. It moves at the end
 * of each writing statement, before the commit, so a write that commits in the milliseconds between
 * its last statement and the read goes unnoticed until the next one; a merge applies the counts
 * afresh in any case.
 */
export async function catalogVersion(db: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{ version: string }>`
    SELECT (CASE WHEN is_called THEN last_value ELSE 0 END)::text AS version FROM catalog_version`.execute(db);
  return rows[0]!.version;
}
