import { sql, type Kysely } from "kysely";

const EVENT_TYPES_BEFORE = `'product.created', 'product.updated', 'product.deleted', 'products.deleted_all',
      'products.bulk_updated', 'products.bulk_deleted',
      'import.completed', 'import.failed', 'import.reverted', 'webhook.disabled'`;

/**
 * Feeds: a supplier's file fetched on a schedule (server/feeds). A feed keeps its source's
 * credentials (never shown back), its import options and its guard; each run is a row, and at most
 * one run per feed is `running` across every process (the partial unique index). An import a feed
 * made points back to it, and carries the guard its merge must stay within.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE feeds (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      name text NOT NULL,
      url text NOT NULL,
      headers jsonb NOT NULL DEFAULT '{}',
      username text,
      password text,
      private_key text,
      schedule text NOT NULL,
      enabled boolean NOT NULL DEFAULT true,
      options jsonb NOT NULL DEFAULT '{}',
      guard jsonb NOT NULL DEFAULT '{}',
      next_run_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX feeds_due ON feeds (next_run_at) WHERE enabled`.execute(db);
  await sql`
    CREATE TABLE feed_runs (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      feed_id bigint NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
      status text NOT NULL CHECK (status IN ('running', 'unchanged', 'applied', 'held', 'failed')),
      trigger text NOT NULL CHECK (trigger IN ('schedule', 'manual')),
      started_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz,
      heartbeat_at timestamptz NOT NULL DEFAULT now(),
      job_id uuid,
      import_id bigint REFERENCES imports (id) ON DELETE SET NULL,
      bytes bigint,
      tries int NOT NULL DEFAULT 0,
      reason text,
      source_version jsonb
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX feed_runs_one_running ON feed_runs (feed_id) WHERE status = 'running'`.execute(db);
  await sql`CREATE INDEX feed_runs_by_feed ON feed_runs (feed_id, id DESC)`.execute(db);
  await sql`CREATE INDEX feed_runs_by_import ON feed_runs (import_id) WHERE import_id IS NOT NULL`.execute(db);
  await sql`ALTER TABLE imports ADD COLUMN feed_id bigint REFERENCES feeds (id) ON DELETE SET NULL`.execute(db);
  // The limits its merge must stay within to commit (a feed's guard), and why it was held when it did not.
  await sql`ALTER TABLE imports ADD COLUMN guard jsonb`.execute(db);
  await sql`ALTER TABLE imports ADD COLUMN held_reason text`.execute(db);
  await sql`CREATE INDEX imports_by_feed ON imports (feed_id) WHERE feed_id IS NOT NULL`.execute(db);
  await sql`ALTER TABLE events DROP CONSTRAINT events_type_check`.execute(db);
  await sql`
    ALTER TABLE events ADD CONSTRAINT events_type_check CHECK (type IN (${sql.raw(EVENT_TYPES_BEFORE)},
      'import.held', 'feed.failed'))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DELETE FROM events WHERE type IN ('import.held', 'feed.failed')`.execute(db);
  await sql`ALTER TABLE events DROP CONSTRAINT events_type_check`.execute(db);
  await sql`ALTER TABLE events ADD CONSTRAINT events_type_check CHECK (type IN (${sql.raw(EVENT_TYPES_BEFORE)}))`.execute(db);
  await sql`ALTER TABLE imports DROP COLUMN feed_id, DROP COLUMN guard, DROP COLUMN held_reason`.execute(db);
  await sql`DROP TABLE feed_runs`.execute(db);
  await sql`DROP TABLE feeds`.execute(db);
}
