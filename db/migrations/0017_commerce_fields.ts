import { sql, type Kysely } from "kysely";

/**
 * The product's typed commerce fields (server/products/commerce-fields.schema.ts): decimals as
 * numeric (exact; a price of at most four decimals below 10^12), stock as integer, text fields,
 * tags as text[] (never null: no tags is `{}`). An import records how it reads empty cells and
 * decimal separators.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE products
      ADD COLUMN price numeric CHECK (price >= 0 AND price < 1e12 AND scale(price) <= 4),
      ADD COLUMN compare_at_price numeric CHECK (compare_at_price >= 0 AND compare_at_price < 1e12 AND scale(compare_at_price) <= 4),
      ADD COLUMN stock integer,
      ADD COLUMN barcode text CHECK (char_length(barcode) <= 64),
      ADD COLUMN weight_grams numeric CHECK (weight_grams >= 0 AND weight_grams < 1e12 AND scale(weight_grams) <= 4),
      ADD COLUMN brand text CHECK (char_length(brand) <= 255),
      ADD COLUMN category text CHECK (char_length(category) <= 1000),
      ADD COLUMN tags text[] NOT NULL DEFAULT '{}' CHECK (cardinality(tags) <= 250)`.execute(db);
  await sql`
    ALTER TABLE imports
      ADD COLUMN empty_cells text NOT NULL DEFAULT 'clear' CHECK (empty_cells IN ('clear', 'keep')),
      ADD COLUMN decimal_separator text NOT NULL DEFAULT 'auto' CHECK (decimal_separator IN ('.', ',', 'auto')),
      ADD COLUMN decimal_separator_read text CHECK (decimal_separator_read IN ('.', ',')),
      ADD COLUMN commerce_fields text[] NOT NULL DEFAULT '{}'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE imports DROP COLUMN empty_cells, DROP COLUMN decimal_separator, DROP COLUMN decimal_separator_read, DROP COLUMN commerce_fields`.execute(
    db,
  );
  await sql`
    ALTER TABLE products DROP COLUMN price, DROP COLUMN compare_at_price, DROP COLUMN stock, DROP COLUMN barcode,
      DROP COLUMN weight_grams, DROP COLUMN brand, DROP COLUMN category, DROP COLUMN tags`.execute(db);
}
