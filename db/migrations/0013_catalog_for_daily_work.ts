import { sql, type Kysely } from "kysely";

/**
 * Sorting the catalog: one collation for what people read (ICU's root order with numbers compared
 * as numbers: "item-2" before "item-10", "apple" before "Banana"), or plain code-point order where
 * the server has no ICU. Its indexes (server/products/search-indexes.ts) are dropped and rebuilt
 * around large writes like the trigram ones. Bulk actions get their own event types.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const { rows } = await sql<{ icu: boolean }>`SELECT EXISTS (SELECT 1 FROM pg_collation WHERE collprovider = 'i') AS icu`.execute(db);
  if (rows[0]?.icu) await sql`CREATE COLLATION catalog_order (provider = icu, locale = 'und-u-kn-true')`.execute(db);
  else await sql`CREATE COLLATION catalog_order FROM "C"`.execute(db);
  await sql`SET LOCAL maintenance_work_mem = '256MB'`.execute(db);
  await sql`CREATE INDEX products_by_sku ON products (sku COLLATE catalog_order, id) INCLUDE (active)`.execute(db);
  await sql`CREATE INDEX products_by_name ON products (name COLLATE catalog_order, id) INCLUDE (active)`.execute(db);
  await sql`CREATE INDEX products_by_created ON products (created_at, id) INCLUDE (active)`.execute(db);
  await sql`CREATE INDEX products_by_updated ON products (updated_at, id) INCLUDE (active)`.execute(db);
  await sql`ALTER TABLE events DROP CONSTRAINT events_type_check`.execute(db);
  await sql`
    ALTER TABLE events ADD CONSTRAINT events_type_check CHECK (type IN (
      'product.created', 'product.updated', 'product.deleted', 'products.deleted_all',
      'products.bulk_updated', 'products.bulk_deleted',
      'import.completed', 'import.failed', 'import.reverted', 'webhook.disabled'))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DELETE FROM events WHERE type IN ('products.bulk_updated', 'products.bulk_deleted')`.execute(db);
  await sql`ALTER TABLE events DROP CONSTRAINT events_type_check`.execute(db);
  await sql`
    ALTER TABLE events ADD CONSTRAINT events_type_check CHECK (type IN (
      'product.created', 'product.updated', 'product.deleted', 'products.deleted_all',
      'import.completed', 'import.failed', 'import.reverted', 'webhook.disabled'))`.execute(db);
  await sql`DROP INDEX IF EXISTS products_by_sku, products_by_name, products_by_created, products_by_updated`.execute(db);
  await sql`DROP COLLATION catalog_order`.execute(db);
}
