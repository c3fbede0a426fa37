import { sql, type Insertable, type Kysely, type RawBuilder, type SelectQueryBuilder } from "kysely";
import type { AttributeValues, Database, ProductsTable } from "../../db/schema.js";
import type { AttributeChanges } from "./custom-fields/attribute-input.js";
import { attributeConditions, type AttributeFilter } from "./custom-fields/attribute-filters.js";
import { CATEGORY_SEPARATOR, COMMERCE_FIELD_SPECS, COMMERCE_FIELDS, type CommerceField } from "./commerce-fields.schema.js";
import type {
  BulkTarget,
  CommerceInput,
  ProductCreateInput,
  ProductFilters,
  ProductListInput,
  ProductSort,
  ProductUpdateInput,
  SortOrder,
} from "./product.schema.js";
import { productCount } from "./catalog-counts.table.js";
import { readCategory } from "./commerce-values.schema.js";
import { activeFilters } from "./product.schema.js";

/** `%` and `_` typed by a person are literal characters, not wildcards. */
const literally = (text: string) => text.replace(/[\\%_]/g, (char) => `\\${char}`);
export const containsPattern = (text: string) => `%${literally(text)}%`;

const TRIGRAM = /[\p{L}\p{N}]{3}/u;

/**
 * Case-insensitive "contains". The trigram indexes can only narrow a search holding three letters
 * or digits in a row; given a shorter one the planner still reads the whole index (~300 ms at
 * 500,000 rows), so those are written in a form the index does not match and the table is scanned.
 * `lower(x) LIKE lower(p)` is exactly how Postgres evaluates `x ILIKE p`.
 */
function contains(column: "sku" | "name" | "description" | "brand", text: string) {
  const pattern = containsPattern(text);
  return TRIGRAM.test(text) ? sql<boolean>`${sql.ref(column)} ILIKE ${pattern}` : sql<boolean>`lower(${sql.ref(column)}) LIKE lower(${pattern})`;
}

/** A category as stored (`apparel>shirts` is `apparel > shirts`), then that path or any under it. */
function inCategory(given: string) {
  const read = readCategory(given, Number.MAX_SAFE_INTEGER);
  const path = "value" in read ? read.value : given;
  return sql<boolean>`(lower(category) = lower(${path}) OR lower(category) LIKE lower(${`${literally(path + CATEGORY_SEPARATOR)}%`}))`;
}

/** The filters as conditions, for the list, the counts, the export and the bulk actions alike. */
function filterConditions(filters: ProductFilters) {
  const given = activeFilters(filters);
  const conditions: RawBuilder<boolean>[] = [];
  for (const column of ["sku", "name", "description", "brand"] as const) if (given[column]) conditions.push(contains(column, given[column]));
  if (given.active !== undefined) conditions.push(sql<boolean>`active = ${given.active}`);
  if (given.category) conditions.push(inCategory(given.category));
  if (given.tag) conditions.push(sql<boolean>`EXISTS (SELECT 1 FROM unnest(tags) AS tag WHERE lower(tag) = lower(${given.tag}))`);
  if (given.barcode) conditions.push(sql<boolean>`barcode = ${given.barcode}`);
  if (given.priceMin != null) conditions.push(sql<boolean>`price >= ${given.priceMin}::numeric`);
  if (given.priceMax != null) conditions.push(sql<boolean>`price <= ${given.priceMax}::numeric`);
  if (given.stockMin !== undefined) conditions.push(sql<boolean>`stock >= ${given.stockMin}::integer`);
  if (given.stockMax !== undefined) conditions.push(sql<boolean>`stock <= ${given.stockMax}::integer`);
  conditions.push(...attributeConditions(given.attributes as AttributeFilter | undefined));
  return conditions;
}

/** Whether nothing but the active flag narrows the list: its count comes from the catalog's count and the inactive index. */
const onlyByFlag = (filters: ProductFilters) => Object.keys(activeFilters(filters)).every((key) => key === "active");

export function filtered<O>(query: SelectQueryBuilder<Database, "products", O>, filters: ProductFilters) {
  let result = query;
  for (const condition of filterConditions(filters)) result = result.where(condition);
  return result;
}

/**
 * Counting every match of a common text filter means reading most of the table (100+ ms at
 * 500,000 rows), so text-filtered totals are exact up to this bound and "more than" above it.
 */
export const COUNT_BOUND = 10_000;

export interface ProductTotal {
  total: number;
  /** False when more than `total` (= COUNT_BOUND) products match. */
  totalExact: boolean;
}

export async function listProducts(db: Kysely<Database>, filters: ProductListInput) {
  const all = await productCount(db);
  // An empty catalog being filled by an import would otherwise make every query skip each of the
  // import's uncommitted rows one by one.
  if (all === 0) return { items: [], total: 0, totalExact: true };
  const [items, count] = await Promise.all([pageOf(db, filters), countMatching(db, filters, all)]);
  return { items, ...count };
}

async function countMatching(db: Kysely<Database>, filters: ProductListInput, all: number): Promise<ProductTotal> {
  if (!onlyByFlag(filters)) {
    const { rows } = await sql<{ count: string }>`
      SELECT count(*) AS count FROM (${filtered(db.selectFrom("products").select(sql`1`.as("one")), filters).limit(COUNT_BOUND + 1)}) AS bounded`.execute(
      db,
    );
    const count = Number(rows[0]!.count);
    return count > COUNT_BOUND ? { total: COUNT_BOUND, totalExact: false } : { total: count, totalExact: true };
  }
  if (filters.active === undefined) return { total: all, totalExact: true };
  return {
    total: await countWithFlag(db, filters.active, all),
    totalExact: true,
  };
}

/** Inactive products are few and have their own index; the active ones are all the others. */
async function countWithFlag(db: Kysely<Database>, active: boolean, all: number): Promise<number> {
  const { count } = await db
    .selectFrom("products")
    .select((eb) => eb.fn.countAll<string>().as("count"))
    .where("active", "=", false)
    .executeTakeFirstOrThrow();
  return active ? all - Number(count) : Number(count);
}

/** How many products the filters match, exactly: past the list's COUNT_BOUND too. */
export async function countProducts(db: Kysely<Database>, filters: ProductFilters): Promise<number> {
  if (!onlyByFlag(filters)) {
    const { count } = await filtered(
      db.selectFrom("products").select((eb) => eb.fn.countAll<string>().as("count")),
      filters,
    ).executeTakeFirstOrThrow();
    return Number(count);
  }
  const all = await productCount(db);
  return filters.active === undefined ? all : countWithFlag(db, filters.active, all);
}

/**
 * Each sort's key, as its index (migration 0013) has it: text in the catalog_order collation
 * (numbers inside compared as numbers), ties broken by id so paging never repeats or skips.
 * Without a sort the list is in the order products were added.
 */
const SORT_KEYS: Record<ProductSort | "added", RawBuilder<unknown>> = {
  added: sql`id`,
  sku: sql`sku COLLATE catalog_order`,
  name: sql`name COLLATE catalog_order`,
  price: sql`price`,
  stock: sql`stock`,
  brand: sql`brand COLLATE catalog_order`,
  category: sql`category COLLATE catalog_order`,
  createdAt: sql`created_at`,
  updatedAt: sql`updated_at`,
};
/** Sorts by a field a product may lack: those come last, in both orders. */
const NULLABLE_SORTS: readonly ProductSort[] = ["price", "stock", "brand", "category"];
const DIRECTIONS: Record<SortOrder, RawBuilder<unknown>> = {
  asc: sql`ASC`,
  desc: sql`DESC`,
};

function ordering(input: Pick<ProductListInput, "sort" | "order">) {
  const key = SORT_KEYS[input.sort ?? "added"];
  const direction = DIRECTIONS[input.order ?? "asc"];
  if (!input.sort) return sql`id ${direction}`;
  return NULLABLE_SORTS.includes(input.sort) ? sql`${key} ${direction} NULLS LAST, id ${direction}` : sql`${key} ${direction}, id ${direction}`;
}

/**
 * The page's ids first, from the narrowest index, then only those rows: skipping 250,000 rows
 * for page 5,000 is then an index-only walk instead of reading every skipped row.
 */
function pageOf(db: Kysely<Database>, input: ProductListInput) {
  const order = ordering(input);
  const pageIds = filtered(db.selectFrom("products").select("id"), input)
    .orderBy(order)
    .limit(input.pageSize)
    .offset((input.page - 1) * input.pageSize);
  return db.selectFrom("products").selectAll().where("id", "in", pageIds).orderBy(order).execute();
}

export function findProduct(db: Kysely<Database>, id: string, options: { forUpdate?: boolean } = {}) {
  return db
    .selectFrom("products")
    .selectAll()
    .where("id", "=", id)
    .$if(Boolean(options.forUpdate), (query) => query.forUpdate())
    .executeTakeFirst();
}

/** The commerce fields given, as products columns. */
function commerceColumns(input: Partial<CommerceInput>) {
  const columns: Record<string, unknown> = {};
  for (const field of COMMERCE_FIELDS) if (input[field] !== undefined) columns[COMMERCE_FIELD_SPECS[field].column] = input[field];
  return columns as Partial<Record<(typeof COMMERCE_FIELD_SPECS)[CommerceField]["column"], unknown>> as Partial<
    Omit<Insertable<ProductsTable>, "sku" | "name">
  >;
}

/** Inserts unless the SKU (in any case) exists; undefined means it was taken. */
export function insertProduct(db: Kysely<Database>, input: Omit<ProductCreateInput, "attributes">, attributes: AttributeValues) {
  return db
    .insertInto("products")
    .values({
      sku: input.sku,
      name: input.name,
      description: input.description,
      active: input.active,
      ...commerceColumns(input),
      attributes: JSON.stringify(attributes),
    })
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

/** The attributes after an edit: the given values merged in by key, the cleared keys taken off. */
const editedAttributes = (changes: AttributeChanges) => sql<string>`(attributes || ${JSON.stringify(changes.set)}::jsonb) - ${changes.clear}::text[]`;

export function updateProductRow(db: Kysely<Database>, input: Omit<ProductUpdateInput, "attributes">, attributes?: AttributeChanges) {
  const { id, sku, name, description, active } = input;
  const changes = {
    sku,
    name,
    description,
    active,
    ...commerceColumns(input),
    ...(attributes ? { attributes: editedAttributes(attributes) } : {}),
  };
  return (
    db
      .updateTable("products")
      // An edit: the product no longer holds any import's values (an undo leaves it alone).
      .set({
        ...changes,
        updated_at: sql`now()`,
        last_change_kind: "edit",
        last_change_import_id: null,
        values_import_id: null,
      })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirst()
  );
}

export function deleteProductRow(db: Kysely<Database>, id: string) {
  return db.deleteFrom("products").where("id", "=", id).returningAll().executeTakeFirst();
}

export async function truncateProducts(db: Kysely<Database>): Promise<void> {
  await sql`TRUNCATE products`.execute(db);
}

/** The products a bulk action is aimed at: its ids, or every product its filter matches. */
function targetCondition(target: BulkTarget) {
  if (target.ids) return sql<boolean>`id = ANY(${target.ids}::bigint[])`;
  const conditions = filterConditions(target.filter ?? {});
  return conditions.length > 0 ? sql<boolean>`${sql.join(conditions, sql` AND `)}` : sql<boolean>`true`;
}

/** How many products the target names, and how many of those do not have `active` already. */
export async function countTargeted(db: Kysely<Database>, target: BulkTarget, active?: boolean) {
  const row = await db
    .selectFrom("products")
    .select((eb) => [
      eb.fn.countAll<string>().as("matched"),
      sql<string>`count(*) FILTER (WHERE active IS DISTINCT FROM ${active ?? null}::boolean)`.as("differing"),
    ])
    .where(targetCondition(target))
    .executeTakeFirstOrThrow();
  return { matched: Number(row.matched), differing: Number(row.differing) };
}

/**
 * Sets `active` on the targeted products that differ: a bulk change (no import's values any
 * more). With `rows`, the changed products come back (for one event each); otherwise their count.
 */
export async function updateTargeted(db: Kysely<Database>, target: BulkTarget, active: boolean, rows: boolean) {
  const update = db
    .updateTable("products")
    .set({
      active,
      updated_at: sql`now()`,
      last_change_kind: "bulk",
      last_change_import_id: null,
      values_import_id: null,
    })
    .where(targetCondition(target))
    .where("active", "<>", active);
  if (rows) {
    const changed = await update.returningAll().execute();
    return { count: changed.length, rows: changed };
  }
  const { count } = await db
    .with("changed", () => update.returning("id"))
    .selectFrom("changed")
    .select((eb) => eb.fn.countAll<string>().as("count"))
    .executeTakeFirstOrThrow();
  return { count: Number(count), rows: null };
}

/** Deletes the targeted products; with `rows` they come back as they were, otherwise their count. */
export async function deleteTargeted(db: Kysely<Database>, target: BulkTarget, rows: boolean) {
  const remove = db.deleteFrom("products").where(targetCondition(target));
  if (rows) {
    const gone = await remove.returningAll().execute();
    return { count: gone.length, rows: gone };
  }
  const { count } = await db
    .with("gone", () => remove.returning("id"))
    .selectFrom("gone")
    .select((eb) => eb.fn.countAll<string>().as("count"))
    .executeTakeFirstOrThrow();
  return { count: Number(count), rows: null };
}
