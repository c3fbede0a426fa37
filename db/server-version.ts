import { sql, type Kysely } from "kysely";

/** The server's version as a number (180004 for 18.4). */
export async function serverVersionNumber<DB>(db: Kysely<DB>): Promise<number> {
  const { rows } = await sql<{ version: number }>`SELECT current_setting('server_version_num')::int AS version`.execute(db);
  return rows[0]!.version;
}

/** Postgres 18 gives a write's old row back (RETURNING old.*). */
export const returnsOldRows = async <DB>(db: Kysely<DB>) => (await serverVersionNumber(db)) >= 180000;
