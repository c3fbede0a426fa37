import { sql, type Kysely } from "kysely";

/**
 * Recovering after an outage asks, per event, for the last attempt to one endpoint; pruning and
 * recovering select events by age.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX webhook_deliveries_by_event ON webhook_deliveries (webhook_id, event_id, id DESC)`.execute(db);
  await sql`CREATE INDEX events_by_age ON events (created_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX events_by_age`.execute(db);
  await sql`DROP INDEX webhook_deliveries_by_event`.execute(db);
}
