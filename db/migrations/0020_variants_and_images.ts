import { sql, type Kysely } from "kysely";

/**
 * Products as shops sell them (docs/decisions/0019-variants-and-images.md): the group a variant
 * shares with its siblings (a Shopify handle, a WooCommerce parent), up to three options
 * (`[{ "name": "Size", "value": "M" }]`) and an ordered list of image URLs. An import keeps the rows
 * whose values went into others (`folded_count`), what it read but left out (`import_warnings`,
 * paged like its errors) and the base its relative image paths were read against.
 *
 * The group filter (exact, in any case) and the group sort each have an index; so do the products
 * without images, which the "no images" filter lists. server/products/search-indexes.ts drops and
 * rebuilds them with the others around large writes.
 */
const VARIANT_INDEXES = [
  { name: "products_group_search", definition: "(lower(product_group))" },
  { name: "products_by_group", definition: "(product_group COLLATE catalog_order, id) INCLUDE (active)" },
  { name: "products_without_images", definition: "(id) WHERE images = '{}'" },
] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE products
      ADD COLUMN product_group text CHECK (char_length(product_group) BETWEEN 1 AND 255),
      ADD COLUMN options jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(options) = 'array' AND jsonb_array_length(options) <= 3),
      ADD COLUMN images text[] NOT NULL DEFAULT '{}' CHECK (cardinality(images) <= 50)`.execute(db);
  await sql`
    ALTER TABLE imports
      ADD COLUMN folded_count integer NOT NULL DEFAULT 0,
      ADD COLUMN warning_count integer NOT NULL DEFAULT 0,
      ADD COLUMN image_base_url text`.execute(db);
  await sql`
    CREATE TABLE import_warnings (
      import_id bigint NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
      line integer NOT NULL,
      at smallint NOT NULL,
      message text NOT NULL,
      PRIMARY KEY (import_id, line, at)
    )`.execute(db);
  for (const index of VARIANT_INDEXES) await sql`CREATE INDEX ${sql.raw(index.name)} ON products ${sql.raw(index.definition)}`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE import_warnings`.execute(db);
  await sql`ALTER TABLE imports DROP COLUMN folded_count, DROP COLUMN warning_count, DROP COLUMN image_base_url`.execute(db);
  await sql`ALTER TABLE products DROP COLUMN product_group, DROP COLUMN options, DROP COLUMN images`.execute(db);
}
