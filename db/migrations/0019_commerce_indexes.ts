import { sql, type Kysely } from "kysely";

/**
 * The list's filters and sorts on the commerce fields, at half a million products
 * (docs/decisions/0018-commerce-storage-and-indexes.md):
 *
 * - each sort (price, stock, brand, category) an index, read backwards for the descending order
 *   (products without a value, which come last in both orders, are listed after it by a query of
 *   their own);
 * - brand "contains" a trigram index, like the text filters; a category path and everything under
 *   it a byte-order index of the lower-cased path (a prefix is a range of it); a tag a GIN index of
 *   the lower-cased tags (`lower_tags`, below);
 * - out of stock, sorted by price, an index of those products alone.
 *
 * server/products/search-indexes.ts drops and rebuilds them with the search and sort indexes around
 * large writes; a test keeps the two definitions identical.
 */
const INDEXES = [
  "products_by_price ON products (price, id) INCLUDE (active)",
  "products_by_stock ON products (stock, id) INCLUDE (active)",
  "products_by_brand ON products (brand COLLATE catalog_order, id) INCLUDE (active)",
  "products_by_category ON products (category COLLATE catalog_order, id) INCLUDE (active)",
  "products_brand_search ON products USING gin (brand gin_trgm_ops)",
  "products_category_search ON products (lower(category) text_pattern_ops) INCLUDE (category)",
  "products_tag_search ON products USING gin (lower_tags(tags))",
  "products_out_of_stock_by_price ON products (price, id) WHERE stock <= 0",
];

export async function up(db: Kysely<unknown>): Promise<void> {
  // A product's tags lower-cased, for the tag filter's index. Immutable for text[] (its text form,
  // lower-cased and read back; an element spelled NULL stays quoted), which an index expression
  // must be; PL/pgSQL because a SQL function declared immutable around the stable array casts is
  // not inlined, and took twice as long per row over the 466,693 products of bench:catalog.
  await sql`
    CREATE FUNCTION lower_tags(tags text[]) RETURNS text[]
      LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
      AS $$ BEGIN RETURN lower(tags::text)::text[]; END $$`.execute(db);
  await sql`SET LOCAL maintenance_work_mem = '256MB'`.execute(db);
  for (const index of INDEXES) await sql`CREATE INDEX ${sql.raw(index)}`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const index of INDEXES) await sql`DROP INDEX IF EXISTS ${sql.raw(index.split(" ")[0]!)}`.execute(db);
  await sql`DROP FUNCTION lower_tags(text[])`.execute(db);
}
