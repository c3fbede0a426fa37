import { sql, type Kysely } from "kysely";

/**
 * A sorted list of inactive products walked the whole sort index past every active one (30–90 ms
 * at 466,693 products). Each sort gets a small index of the inactive products alone, like the one
 * (by id) for the unsorted list. server/products/search-indexes.ts drops and rebuilds them with the
 * search and sort indexes around large writes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX products_inactive_by_sku ON products (sku COLLATE catalog_order, id) WHERE NOT active`.execute(db);
  await sql`CREATE INDEX products_inactive_by_name ON products (name COLLATE catalog_order, id) WHERE NOT active`.execute(db);
  await sql`CREATE INDEX products_inactive_by_created ON products (created_at, id) WHERE NOT active`.execute(db);
  await sql`CREATE INDEX products_inactive_by_updated ON products (updated_at, id) WHERE NOT active`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP INDEX IF EXISTS products_inactive_by_sku, products_inactive_by_name, products_inactive_by_created, products_inactive_by_updated`.execute(db);
}
