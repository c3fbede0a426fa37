import type pg from "pg";
import { IMPORT_QUEUE } from "../../server/imports/import-queue.js";
import { DELIVERY_JOB_TABLE, WEBHOOK_QUEUE } from "../../server/webhooks/delivery-queue.js";
import { waitUntil } from "./wait.js";

/** A connection of the test's own, or the app's pool. */
type Queryable = Pick<pg.ClientBase, "query">;

/** pg-boss keeps every queue's jobs in this one table until it archives them, imports' as well as deliveries'. */
const JOBS = DELIVERY_JOB_TABLE;
/** Jobs pg-boss has not finished with: waiting (a retry due later included) or taken by a worker. */
const UNFINISHED = "state < 'completed'";

/**
 * Waits until no imports.apply job is waiting or running: a worker has since looked at the queue
 * with the catalog free and applied whatever was waiting in it, so an import not applied by then
 * was not going to be.
 */
export function applyJobsSettled(db: Queryable, what = "every imports.apply job to settle", timeoutMs = 20_000) {
  return waitUntil(
    what,
    async () => (await db.query(`SELECT 1 FROM ${JOBS} WHERE name = $1 AND ${UNFINISHED}`, [IMPORT_QUEUE])).rows.length === 0,
    timeoutMs,
    100,
  );
}

/**
 * Waits until every recorded event is dispatched and no delivery job to these endpoints (or of
 * these events) is waiting or under way: from then on, nothing more about them reaches a receiver.
 */
export function deliveriesSettled(db: Queryable, about: { webhookIds: string[] } | { eventIds: string[] }, timeoutMs = 15_000) {
  const [field, ids] = "webhookIds" in about ? ["webhookId", about.webhookIds] : ["eventId", about.eventIds];
  return waitUntil(
    `the deliveries of ${field}s ${ids.join(", ")} to settle`,
    async () => {
      const { rows } = await db.query<{ settled: boolean }>(
        `SELECT NOT EXISTS (SELECT 1 FROM events WHERE dispatched_at IS NULL)
            AND NOT EXISTS (SELECT 1 FROM ${JOBS} WHERE name = $1 AND ${UNFINISHED} AND data->>$2 = ANY($3::text[])) AS settled`,
        [WEBHOOK_QUEUE, field, ids],
      );
      return rows[0]!.settled;
    },
    timeoutMs,
  );
}
