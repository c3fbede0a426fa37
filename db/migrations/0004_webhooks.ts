import { sql, type Kysely } from "kysely";

/**
 * Webhook endpoints, one row per delivery attempt, and the outbox cursor: an event is dispatched
 * (turned into one delivery job per subscribed endpoint) exactly once, in the transaction that
 * creates the jobs.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE webhooks (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      url text NOT NULL,
      events text[] NOT NULL CHECK (cardinality(events) > 0),
      enabled boolean NOT NULL DEFAULT true,
      secret text NOT NULL,
      disabled_reason text,
      last_status_code int,
      last_latency_ms int,
      last_error text,
      last_delivery_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`
    CREATE TABLE webhook_deliveries (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      webhook_id bigint NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
      event_id uuid NOT NULL,
      event_type text NOT NULL,
      attempt int NOT NULL CHECK (attempt >= 1),
      status_code int,
      latency_ms int,
      error text,
      response_body text,
      created_at timestamptz NOT NULL DEFAULT clock_timestamp()
    )`.execute(db);
  await sql`CREATE INDEX webhook_deliveries_by_webhook ON webhook_deliveries (webhook_id, id DESC)`.execute(db);
  await sql`ALTER TABLE events ADD COLUMN dispatched_at timestamptz`.execute(db);
  // Events from before webhooks existed had no one to go to.
  await sql`UPDATE events SET dispatched_at = created_at`.execute(db);
  await sql`CREATE INDEX events_to_dispatch ON events (position) WHERE dispatched_at IS NULL`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX events_to_dispatch`.execute(db);
  await sql`ALTER TABLE events DROP COLUMN dispatched_at`.execute(db);
  await sql`DROP TABLE webhook_deliveries`.execute(db);
  await sql`DROP TABLE webhooks`.execute(db);
}
