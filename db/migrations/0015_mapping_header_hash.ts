import { sql, type Kysely } from "kysely";

/**
 * Saved mappings were unique on the header key itself, and a B-tree entry holds at most about
 * 2.7 KB: saving the mapping of a header of a few hundred columns failed the upload after its rows
 * were staged. They are unique on the key's SHA-256 instead (32 bytes, whatever the width); the key
 * stays, unindexed, so a lookup still compares it whole.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE column_mappings ADD COLUMN header_hash bytea`.execute(db);
  // What server/mappings/mappings.table.ts computes: SHA-256 of the key's UTF-8.
  await sql`UPDATE column_mappings SET header_hash = sha256(convert_to(header_key, 'UTF8'))`.execute(db);
  await sql`
    ALTER TABLE column_mappings
      ALTER COLUMN header_hash SET NOT NULL,
      DROP CONSTRAINT column_mappings_header_key_key,
      ADD CONSTRAINT column_mappings_header_hash_key UNIQUE (header_hash)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // The old key cannot index a wide header, so those mappings are forgotten (2,000 bytes always
  // fit). Rows deleted in this transaction would still be indexed: the others are copied out and back.
  await sql`
    CREATE TEMP TABLE kept_mappings ON COMMIT DROP AS
      SELECT id, header, header_key, mapping, profile, created_at, last_used_at FROM column_mappings WHERE octet_length(header_key) <= 2000`.execute(
    db,
  );
  await sql`TRUNCATE column_mappings`.execute(db);
  await sql`ALTER TABLE column_mappings DROP COLUMN header_hash, ADD CONSTRAINT column_mappings_header_key_key UNIQUE (header_key)`.execute(db);
  await sql`INSERT INTO column_mappings OVERRIDING SYSTEM VALUE SELECT * FROM kept_mappings`.execute(db);
}
