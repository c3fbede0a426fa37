import { sql, type Kysely } from "kysely";

/**
 * Webhooks an integrator can trust: a rotated secret keeps signing beside the new one until its
 * overlap ends, and every attempt logs the headers it sent and the ones it got back.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE webhooks
      ADD COLUMN previous_secret text,
      ADD COLUMN previous_secret_expires_at timestamptz`.execute(db);
  await sql`
    ALTER TABLE webhook_deliveries
      ADD COLUMN request_headers jsonb,
      ADD COLUMN response_headers jsonb`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE webhook_deliveries DROP COLUMN request_headers, DROP COLUMN response_headers`.execute(db);
  await sql`ALTER TABLE webhooks DROP COLUMN previous_secret, DROP COLUMN previous_secret_expires_at`.execute(db);
}
