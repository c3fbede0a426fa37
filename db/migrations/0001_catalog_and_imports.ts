import { sql, type Kysely } from "kysely";

/**
 * `sku_key` is the one definition of "the same SKU": Unicode-aware lower case under a collation
 * that is chosen once, here, so the unique index and every query agree on it.
 */
async function caseFoldingCollation(db: Kysely<unknown>): Promise<string> {
  const { rows } = await sql<{ encoding: string; builtin: boolean; default_folds: boolean; icu: boolean }>`
    SELECT pg_encoding_to_char(encoding) AS encoding,
           EXISTS (SELECT 1 FROM pg_collation WHERE collname = 'pg_c_utf8') AS builtin,
           lower('ÄÖ') = 'äö' AS default_folds,
           EXISTS (SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu') AS icu
    FROM pg_database WHERE datname = current_database()`.execute(db);
  const info = rows[0]!;
  if (info.encoding !== "UTF8") {
    throw new Error(`The database must use UTF8 encoding (it uses ${info.encoding}).`);
  }
  if (info.builtin) return ` COLLATE pg_c_utf8`;
  if (info.default_folds) return "";
  if (info.icu) return ` COLLATE "und-x-icu"`;
  throw new Error("The database's collation cannot lower-case non-ASCII letters; use a UTF-8 locale.");
}

export async function up(db: Kysely<unknown>): Promise<void> {
  const collation = await caseFoldingCollation(db);
  await sql
    .raw(
      `CREATE FUNCTION sku_key(sku text) RETURNS text
         LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
         AS $$ SELECT lower(sku${collation}) $$`,
    )
    .execute(db);

  // Lengths are validated by the importer and the API's zod schemas; CHECKs here measured 10% of
  // a large import's merge time.
  await sql`
    CREATE TABLE products (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      sku text NOT NULL,
      name text NOT NULL,
      description text NOT NULL DEFAULT '',
      active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX products_sku_key ON products (sku_key(sku))`.execute(db);
  // The unfiltered total, kept exact by every write in its own transaction: count(*) over a table
  // a running import is filling costs a visibility check per uncommitted row.
  await sql`
    CREATE TABLE catalog_counts (
      id boolean PRIMARY KEY DEFAULT true CHECK (id),
      products bigint NOT NULL CHECK (products >= 0)
    )`.execute(db);
  await sql`INSERT INTO catalog_counts (products) VALUES (0)`.execute(db);

  await sql`CREATE SEQUENCE import_queue_position`.execute(db);
  await sql`
    CREATE TABLE imports (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      filename text NOT NULL,
      status text NOT NULL CHECK (status IN ('uploading','queued','processing','completed','failed','cancelled')),
      size_bytes bigint NOT NULL DEFAULT 0,
      has_active_column boolean NOT NULL DEFAULT false,
      header text[] NOT NULL DEFAULT '{}',
      total_rows integer NOT NULL DEFAULT 0,
      processed_rows integer NOT NULL DEFAULT 0,
      created_count integer NOT NULL DEFAULT 0,
      updated_count integer NOT NULL DEFAULT 0,
      error_count integer NOT NULL DEFAULT 0,
      error text,
      retryable boolean NOT NULL DEFAULT true,
      queue_position bigint,
      version integer NOT NULL DEFAULT 1,
      heartbeat_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      uploaded_at timestamptz,
      started_at timestamptz,
      finished_at timestamptz
    )`.execute(db);
  await sql`CREATE INDEX imports_newest_first ON imports (created_at DESC, id DESC)`.execute(db);
  await sql`CREATE INDEX imports_waiting ON imports (queue_position) WHERE status IN ('queued','processing')`.execute(db);

  await sql`
    CREATE TABLE import_errors (
      import_id bigint NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
      line integer NOT NULL,
      message text NOT NULL,
      fields text[] NOT NULL,
      PRIMARY KEY (import_id, line)
    )`.execute(db);

  // One unlogged table per import lives here while it waits to be applied (docs/decisions/0001).
  await sql`CREATE SCHEMA staging`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP SCHEMA staging CASCADE`.execute(db);
  await sql`DROP TABLE import_errors, imports, catalog_counts, products`.execute(db);
  await sql`DROP SEQUENCE import_queue_position`.execute(db);
  await sql`DROP FUNCTION sku_key(text)`.execute(db);
}
