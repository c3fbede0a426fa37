import { sql, type Kysely } from "kysely";

/**
 * GET /metrics counts the imports still moving or waiting for a person on every scrape: this index
 * holds only those, so the count costs the same however many imports have settled.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX imports_unsettled ON imports (status) WHERE status IN ('uploading', 'queued', 'processing', 'review')`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX imports_unsettled`.execute(db);
}
