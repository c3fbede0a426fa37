import { sql, type Kysely, type SelectQueryBuilder } from "kysely";
import type { Database } from "../../db/schema.js";
import type { ProductCreateInput, ProductFilters, ProductListInput, ProductUpdateInput } from "./product.schema.js";
import { productCount } from "./catalog-counts.table.js";

/** `%` and `_` typed by a person are literal characters, not wildcards. */
export const containsPattern = (text: string) => `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;

export function filtered<O>(query: SelectQueryBuilder<Database, "products", O>, filters: ProductFilters) {
  let result = query;
  for (const column of ["sku", "name", "description"] as const) {
    const text = filters[column]?.trim();
    if (text) result = result.where(sql<boolean>`${sql.ref(column)} ILIKE ${containsPattern(text)}`);
  }
  if (filters.active !== undefined) result = result.where("active", "=", filters.active);
  return result;
}

const hasFilters = (filters: ProductFilters) =>
  Boolean(filters.sku?.trim() || filters.name?.trim() || filters.description?.trim() || filters.active !== undefined);

export async function listProducts(db: Kysely<Database>, filters: ProductListInput) {
  if (!hasFilters(filters)) {
    const total = await productCount(db);
    // An empty catalog being filled by an import would otherwise make the page query skip every
    // uncommitted row one by one.
    if (total === 0) return { items: [], total };
    return { items: await pageOf(db, filters), total };
  }
  const [items, total] = await Promise.all([
    pageOf(db, filters),
    filtered(db.selectFrom("products").select((eb) => eb.fn.countAll<string>().as("count")), filters).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.count) };
}

function pageOf(db: Kysely<Database>, filters: ProductListInput) {
  return filtered(db.selectFrom("products").selectAll(), filters)
    .orderBy("id")
    .limit(filters.pageSize)
    .offset((filters.page - 1) * filters.pageSize)
    .execute();
}

export function findProduct(db: Kysely<Database>, id: string) {
  return db.selectFrom("products").selectAll().where("id", "=", id).executeTakeFirst();
}

/** Inserts unless the SKU (in any case) exists; undefined means it was taken. */
export function insertProduct(db: Kysely<Database>, input: ProductCreateInput) {
  return db
    .insertInto("products")
    .values({ sku: input.sku, name: input.name, description: input.description, active: input.active })
    .onConflict((oc) => oc.expression(sql`sku_key(sku)`).doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function storedSpellingOf(db: Kysely<Database>, sku: string): Promise<string | undefined> {
  const row = await db
    .selectFrom("products")
    .select("sku")
    .where(sql<boolean>`sku_key(sku) = sku_key(${sku})`)
    .executeTakeFirst();
  return row?.sku;
}

export function updateProductRow(db: Kysely<Database>, input: ProductUpdateInput) {
  const { id, ...changes } = input;
  return db
    .updateTable("products")
    .set({ ...changes, updated_at: sql`now()` })
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirst();
}

export function deleteProductRow(db: Kysely<Database>, id: string) {
  return db.deleteFrom("products").where("id", "=", id).returningAll().executeTakeFirst();
}

export async function truncateProducts(db: Kysely<Database>): Promise<void> {
  await sql`TRUNCATE products`.execute(db);
}
