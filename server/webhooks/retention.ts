import { sql, type Kysely } from "kysely";
import { tryTransactionLock } from "../../db/advisory-locks.js";
import type { Database } from "../../db/schema.js";
import type { Logger } from "../logger.js";

/** Rows one statement deletes: a few milliseconds of locks, so deliveries and requests never wait on it. */
const PRUNE_BATCH = 5_000;
/** Between batches, the connection goes back to whoever else needs Postgres. */
const PAUSE_MS = 20;

const pause = () => new Promise((resolve) => setTimeout(resolve, PAUSE_MS));

/**
 * Deletes the oldest batch of one table's rows older than `cutoff`, walking the table's own order
 * (ids grow with time): when its first row is recent, nothing is old and the check costs one index
 * probe, however large the table.
 */
async function pruneBatch(db: Kysely<Database>, table: "webhook_deliveries" | "events", cutoff: Date): Promise<number> {
  const order = sql.raw(table === "events" ? "position" : "id");
  const name = sql.table(table);
  // Undispatched events still have deliveries to become.
  const keep = table === "events" ? sql`AND dispatched_at IS NOT NULL` : sql``;
  const result = await sql`
    DELETE FROM ${name} WHERE ${order} IN (
      SELECT ${order} FROM ${name} ORDER BY ${order} LIMIT ${PRUNE_BATCH}
    ) AND created_at < ${cutoff} ${keep}`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** The oldest moment still kept: events and attempts from before it are pruned (and cannot be recovered). */
export const retentionCutoff = (retentionDays: number, now = Date.now()) => new Date(now - retentionDays * 86_400_000);

/**
 * Events and delivery attempts older than the retention, in small batches until none are left
 * (or `stop` fires). Returns how many rows went.
 */
export async function pruneWebhookHistory(db: Kysely<Database>, log: Logger, retentionDays: number, stop?: AbortSignal): Promise<number> {
  const cutoff = retentionCutoff(retentionDays);
  let pruned = 0;
  for (const table of ["webhook_deliveries", "events"] as const) {
    for (;;) {
      if (stop?.aborted) return pruned;
      const deleted = await db
        .transaction()
        .execute(async (tx) => ((await tryTransactionLock(tx, "webhookRetention")) ? pruneBatch(tx, table, cutoff) : null));
      // Another process is pruning: it finishes the job.
      if (deleted === null) return pruned;
      pruned += deleted;
      if (deleted === 0) break;
      await pause();
    }
  }
  if (pruned > 0) log.info({ pruned, retentionDays }, "pruned webhook events and delivery attempts past their retention");
  return pruned;
}
