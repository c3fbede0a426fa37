import { sql, type Kysely } from "kysely";

/**
 * Files as people have them: how each import's file was read (format, encoding, delimiter, the
 * column mapping and platform profile used), and the mappings people confirmed, remembered per
 * header so the same file is mapped alike next time.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE imports
      ADD COLUMN format text NOT NULL DEFAULT 'csv' CHECK (format IN ('csv', 'xlsx')),
      ADD COLUMN encoding text,
      ADD COLUMN delimiter text,
      ADD COLUMN quote text,
      ADD COLUMN line_ending text,
      ADD COLUMN sheet text,
      ADD COLUMN mapping jsonb,
      ADD COLUMN profile text,
      ADD COLUMN mapping_source text,
      -- Rows whose active cell was empty (a platform's "not said"): those products keep their flag.
      ADD COLUMN unspecified_active_rows integer NOT NULL DEFAULT 0`.execute(db);
  await sql`
    CREATE TABLE column_mappings (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      header text[] NOT NULL,
      -- The header as compared (normalized names, in order): one mapping per header.
      header_key text NOT NULL UNIQUE,
      mapping jsonb NOT NULL,
      profile text,
      created_at timestamptz NOT NULL DEFAULT now(),
      last_used_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE column_mappings`.execute(db);
  await sql`
    ALTER TABLE imports DROP COLUMN format, DROP COLUMN encoding, DROP COLUMN delimiter, DROP COLUMN quote,
      DROP COLUMN line_ending, DROP COLUMN sheet, DROP COLUMN mapping, DROP COLUMN profile, DROP COLUMN mapping_source, DROP COLUMN unspecified_active_rows`.execute(
    db,
  );
}
