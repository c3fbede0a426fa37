import { sql, type Kysely } from "kysely";

/**
 * The grouped products list (server/products/group-lines.ts) shows a group at its first variant:
 * whether a product is that first one is one descent of an index of the group (as its filter
 * compares it) and id, and the count of a catalog's groups is read from that index alone. Only
 * products in a group are in it; the filter and the list's probe both say `product_group IS NOT
 * NULL`, so the planner takes it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX IF EXISTS products_group_search`.execute(db);
  await sql`CREATE INDEX products_group_search ON products (lower(product_group), id) WHERE product_group IS NOT NULL`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX IF EXISTS products_group_search`.execute(db);
  await sql`CREATE INDEX products_group_search ON products (lower(product_group))`.execute(db);
}
