import { sql, type Kysely } from "kysely";
import type { Database, EventType } from "../../db/schema.js";
import { EVENT_PAYLOADS, type EventPayload } from "./event-payloads.js";

/**
 * Records that something happened. Call it with the transaction that made the change: the event
 * then exists exactly when the change does. Webhook delivery consumes this table. The payload is
 * checked against the schema the event catalog publishes (event-payloads.ts).
 */
export async function recordEvent<T extends EventType>(db: Kysely<Database>, type: T, data: EventPayload<T>): Promise<string> {
  const payload: unknown = EVENT_PAYLOADS[type].parse(data);
  const row = await db
    .insertInto("events")
    .values({ type, data: JSON.stringify(payload) })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Whether any event waits for the dispatcher: one index probe, no transaction. */
export async function hasUndispatchedEvents(db: Kysely<Database>): Promise<boolean> {
  return Boolean(await db.selectFrom("events").select("id").where("dispatched_at", "is", null).limit(1).executeTakeFirst());
}

/**
 * The oldest events not yet dispatched, locked for the caller's transaction; other processes
 * skip them rather than wait, so several dispatchers never hand out the same event twice.
 */
export function lockUndispatchedEvents(db: Kysely<Database>, limit: number) {
  return db
    .selectFrom("events")
    .select(["id", "type"])
    .where("dispatched_at", "is", null)
    .orderBy("position")
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

export async function markDispatched(db: Kysely<Database>, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable("events")
    .set({ dispatched_at: sql`now()` })
    .where("id", "in", ids)
    .execute();
}

export function findEvents(db: Kysely<Database>, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom("events").select(["id", "type", "data", "created_at"]).where("id", "in", ids).execute();
}

/** Records one event of `type` per payload, in the order given, in one statement. */
export async function recordEvents<T extends EventType>(db: Kysely<Database>, type: T, payloads: EventPayload<T>[]): Promise<void> {
  if (payloads.length === 0) return;
  const schema = EVENT_PAYLOADS[type];
  await db
    .insertInto("events")
    .values(payloads.map((data) => ({ type, data: JSON.stringify(schema.parse(data)) })))
    .execute();
}
