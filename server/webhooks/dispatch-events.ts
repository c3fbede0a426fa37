import type { Kysely } from "kysely";
import type pg from "pg";
import type { Database } from "../../db/schema.js";
import type PgBoss from "pg-boss";
import { withTransaction } from "../../db/transaction.js";
import { hasUndispatchedEvents, lockUndispatchedEvents, markDispatched } from "../events/events.table.js";
import { DELIVERY_JOB_OPTIONS, WEBHOOK_QUEUE, type DeliveryJob } from "./delivery-queue.js";
import { subscribersOf } from "./webhooks.table.js";

/**
 * Turns recorded events into delivery jobs, one per event and enabled subscribed endpoint. The
 * jobs are inserted in the same transaction that marks the events dispatched, so an event becomes
 * jobs exactly once whatever crashes when. Returns how many events it took.
 */
export async function dispatchEvents(db: Kysely<Database>, pool: pg.Pool, boss: PgBoss, limit = 500): Promise<number> {
  // Called several times a second on every worker: an idle outbox costs one cheap query.
  if (!(await hasUndispatchedEvents(db))) return 0;
  return withTransaction(pool, async ({ client, db: tx }) => {
    const events = await lockUndispatchedEvents(tx, limit);
    if (events.length === 0) return 0;
    const subscribers = await subscribersOf(tx, [...new Set(events.map((event) => event.type))]);
    const jobs = events.flatMap((event) =>
      subscribers
        .filter((webhook) => webhook.events.includes(event.type))
        .map((webhook) => ({
          name: WEBHOOK_QUEUE,
          data: { eventId: event.id, webhookId: webhook.id, attempt: 1 } satisfies DeliveryJob,
          ...DELIVERY_JOB_OPTIONS,
        })),
    );
    // pg-boss inserts on this very connection, inside the transaction.
    if (jobs.length > 0) await boss.insert(jobs, { db: { executeSql: (text, values) => client.query(text, values) } });
    await markDispatched(
      tx,
      events.map((event) => event.id),
    );
    return events.length;
  });
}
