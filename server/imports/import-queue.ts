import { sql, type Kysely } from "kysely";
import type { Database } from "../../db/schema.js";
import { CATALOG_WRITE_LOCK } from "./apply-imports.js";
import { hasImportsWaiting } from "./imports.table.js";

/**
 * Jobs on this queue carry no import: each one tells a worker "apply whatever is waiting, oldest
 * first". The order lives in the imports table, so jobs may run late, twice or on any worker
 * without two imports ever applying out of order.
 */
export const IMPORT_QUEUE = "imports.apply";

/**
 * True when imports wait but no worker holds the catalog lock: a job was lost (crash before it was
 * sent, process killed mid-merge) and the sweeper should send another.
 */
export async function importsLackAWorker(db: Kysely<Database>): Promise<boolean> {
  if (!(await hasImportsWaiting(db))) return false;
  return db.transaction().execute(async (tx) => {
    const { rows } = await sql<{ free: boolean }>`SELECT pg_try_advisory_xact_lock(${CATALOG_WRITE_LOCK}) AS free`.execute(tx);
    return rows[0]!.free;
  });
}
