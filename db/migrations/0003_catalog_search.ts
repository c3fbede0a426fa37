import { sql, type Kysely } from "kysely";

/**
 * Text filters are "contains" searches: trigram indexes answer them from the index instead of
 * reading 500,000 rows, and the few inactive products get a small index of their own.
 * server/products/search-indexes.ts drops and rebuilds the trigram ones around large imports;
 * a test keeps the two definitions identical.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(db);
  await sql`CREATE INDEX products_sku_search ON products USING gin (sku gin_trgm_ops)`.execute(db);
  await sql`CREATE INDEX products_name_search ON products USING gin (name gin_trgm_ops)`.execute(db);
  await sql`CREATE INDEX products_description_search ON products USING gin (description gin_trgm_ops)`.execute(db);
  await sql`CREATE INDEX products_inactive ON products (id) WHERE NOT active`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX products_sku_search, products_name_search, products_description_search, products_inactive`.execute(db);
}
