import type { Kysely } from "kysely";
import type { Database, EventType } from "../../db/schema.js";

/**
 * Records that something happened. Call it with the transaction that made the change: the event
 * then exists exactly when the change does. Webhook delivery consumes this table.
 */
export async function recordEvent(db: Kysely<Database>, type: EventType, data: unknown): Promise<string> {
  const row = await db
    .insertInto("events")
    .values({ type, data: JSON.stringify(data) })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}
