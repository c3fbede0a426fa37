import { sql, type Kysely } from "kysely";

/**
 * Fields a team defines (server/fields/): their values live on the product in one jsonb object,
 * `attributes`, keyed by the field's key. One GIN index (jsonb_path_ops) serves every equality and
 * list-membership filter; a number, integer or date field gets its own expression index when it is
 * created (server/fields/field-indexes.ts), for ranges. An import records which fields its file writes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE fields (
      id serial UNIQUE,
      key text PRIMARY KEY CHECK (key ~ '^[a-z][a-z0-9_]{0,62}$'),
      label text NOT NULL CHECK (char_length(label) BETWEEN 1 AND 100),
      type text NOT NULL CHECK (type IN ('text', 'number', 'integer', 'boolean', 'date', 'url', 'choice', 'list')),
      options text[] CHECK ((type = 'choice') = (options IS NOT NULL) AND cardinality(options) BETWEEN 1 AND 500),
      required boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`
    ALTER TABLE products ADD COLUMN attributes jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(attributes) = 'object')`.execute(db);
  await sql`CREATE INDEX products_attributes ON products USING gin (attributes jsonb_path_ops)`.execute(db);
  await sql`ALTER TABLE imports ADD COLUMN attribute_fields text[] NOT NULL DEFAULT '{}'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE imports DROP COLUMN attribute_fields`.execute(db);
  await sql`ALTER TABLE products DROP COLUMN attributes`.execute(db);
  await sql`DROP TABLE fields`.execute(db);
}
