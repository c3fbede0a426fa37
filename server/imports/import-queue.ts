import type { Kysely } from "kysely";
import { tryTransactionLock } from "../../db/advisory-locks.js";
import type { Database } from "../../db/schema.js";
import { hasImportsWaiting } from "./imports.table.js";

/**
 * Jobs on this queue carry no import: each one tells a worker "apply whatever is waiting, oldest
 * first". The order lives in the imports table, so jobs may run late, twice or on any worker
 * without two imports ever applying out of order.
 */
export const IMPORT_QUEUE = "imports.apply";

/** How the server asks for waiting imports to be applied; the job queue (jobs/) provides it. */
export interface ImportScheduler {
  requestApply(): Promise<void>;
}

/**
 * True when imports wait but no worker holds the catalog lock: a job was lost (crash before it was
 * sent, process killed mid-merge) and the sweeper should send another.
 */
export async function importsLackAWorker(db: Kysely<Database>): Promise<boolean> {
  if (!(await hasImportsWaiting(db))) return false;
  return db.transaction().execute((tx) => tryTransactionLock(tx, "catalogWrite"));
}
