import { sql, type Kysely } from "kysely";

/**
 * Told in time: each endpoint remembers since when its deliveries have been failing (cleared by a
 * success), and switching one off records a `webhook.disabled` event for the others.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE webhooks ADD COLUMN failing_since timestamptz`.execute(db);
  await sql`ALTER TABLE events DROP CONSTRAINT events_type_check`.execute(db);
  await sql`
    ALTER TABLE events ADD CONSTRAINT events_type_check CHECK (type IN (
      'product.created', 'product.updated', 'product.deleted', 'products.deleted_all',
      'import.completed', 'import.failed', 'import.reverted', 'webhook.disabled'))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DELETE FROM events WHERE type = 'webhook.disabled'`.execute(db);
  await sql`ALTER TABLE events DROP CONSTRAINT events_type_check`.execute(db);
  await sql`
    ALTER TABLE events ADD CONSTRAINT events_type_check CHECK (type IN (
      'product.created', 'product.updated', 'product.deleted', 'products.deleted_all',
      'import.completed', 'import.failed', 'import.reverted'))`.execute(db);
  await sql`ALTER TABLE webhooks DROP COLUMN failing_since`.execute(db);
}
