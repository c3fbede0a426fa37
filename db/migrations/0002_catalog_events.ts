import { sql, type Kysely } from "kysely";

/**
 * The outbox: every catalog change and every import outcome, written in the same transaction as
 * the change itself, so a crash can neither lose an event nor invent one. Webhook delivery reads it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE events (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      position bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
      type text NOT NULL CHECK (type IN (
        'product.created', 'product.updated', 'product.deleted', 'products.deleted_all',
        'import.completed', 'import.failed')),
      data jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT clock_timestamp()
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE events`.execute(db);
}
