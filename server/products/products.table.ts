import { sql, type Insertable, type Kysely, type RawBuilder, type Selectable, type SelectQueryBuilder } from "kysely";
import type { AttributeValues, Database, ProductsTable } from "../../db/schema.js";
import type { AttributeChanges } from "./custom-fields/attribute-input.js";
import { attributeConditions, boundsARange, type AttributeFilter } from "./custom-fields/attribute-filters.js";
import { CATEGORY_SEPARATOR, COMMERCE_FIELD_SPECS, COMMERCE_FIELDS, TAG_LIMITS, type CommerceField } from "./commerce-fields.schema.js";
import type {
  BulkSet,
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
import { activeFilters, BULK_COMMERCE_FIELDS } from "./product.schema.js";

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

/**
 * A category as stored (`apparel>shirts` is `apparel > shirts`), then that path or any under it.
 * The leading prefix test is implied by the rest: it is there because it is one range of the
 * category index (lower-cased, byte order), which the planner reads without the table. Given the
 * two alternatives alone, it counted a common category's matches by walking a category sort index
 * from its end, past every category after it (0.5 s at 466,693 products, against 6 ms).
 */
function inCategory(given: string) {
  const read = readCategory(given, Number.MAX_SAFE_INTEGER);
  const path = "value" in read ? read.value : given;
  const [startsWith, under] = [`${literally(path)}%`, `${literally(path + CATEGORY_SEPARATOR)}%`];
  return sql<boolean>`(lower(category) LIKE lower(${startsWith}) AND (lower(category) = lower(${path}) OR lower(category) LIKE lower(${under})))`;
}

/** The filters as conditions, for the list, the counts, the export and the bulk actions alike. */
function filterConditions(filters: ProductFilters) {
  const given = activeFilters(filters);
  const conditions: RawBuilder<boolean>[] = [];
  for (const column of ["sku", "name", "description", "brand"] as const) if (given[column]) conditions.push(contains(column, given[column]));
  if (given.active !== undefined) conditions.push(sql<boolean>`active = ${given.active}`);
  if (given.category) conditions.push(inCategory(given.category));
  // The expression of the tags' GIN index (search-indexes.ts): a product's tags lower-cased.
  if (given.tag) conditions.push(sql<boolean>`lower_tags(tags) @> ARRAY[lower(${given.tag})]`);
  if (given.barcode) conditions.push(sql<boolean>`barcode = ${given.barcode}`);
  // The group's index (migration 0021) holds only grouped products, which the planner has to be told.
  if (given.group) conditions.push(sql<boolean>`(product_group IS NOT NULL AND lower(product_group) = lower(${given.group}))`);
  if (given.hasImages !== undefined) conditions.push(given.hasImages ? sql<boolean>`images <> '{}'::text[]` : sql<boolean>`images = '{}'::text[]`);
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

/** Past this many distinct brands, a brand filter is counted through its trigram index. */
const LISTED_BRANDS = 1_000;

/**
 * The brands (as stored) that hold the brand filter's text, read one by one from the brand sort
 * index (a few hundred descents of it); null when the catalog has more than LISTED_BRANDS.
 */
async function brandsHolding(db: Kysely<Database>, text: string): Promise<string[] | null> {
  const { rows } = await sql<{ seen: string; holding: string[] | null }>`
    WITH RECURSIVE brands (brand) AS (
      SELECT min(brand COLLATE catalog_order) FROM products
      UNION ALL
      SELECT (SELECT min(brand COLLATE catalog_order) FROM products WHERE brand COLLATE catalog_order > brands.brand)
      FROM brands WHERE brands.brand IS NOT NULL)
    SELECT count(*) AS seen, array_agg(brand) FILTER (WHERE ${contains("brand", text)}) AS holding
    FROM (SELECT brand COLLATE "default" AS brand FROM brands WHERE brand IS NOT NULL LIMIT ${LISTED_BRANDS + 1}) AS listed`.execute(db);
  return Number(rows[0]!.seen) > LISTED_BRANDS ? null : (rows[0]!.holding ?? []);
}

/**
 * How many products the filters (and `also`) match, counted in whatever order is cheapest and no
 * further than `bound`.
 *
 * A brand filter is counted as the brands that hold its text, each a range of the brand sort
 * index: the first 10,001 of a common brand's 69,175 products (15% of 466,693) take 8 ms there,
 * plus ~10 ms to list the 400 brands, against 80 ms through the trigram index, which cannot tell
 * live entries from dead ones without reading their table pages. Left to itself, the planner
 * counted them worse still: a brand's products lie side by side in the sort index, and taking
 * matches to be spread evenly it walked that index from its end, past every brand after it,
 * checking each entry's brand (200,000 entries, 180 ms). So a catalog of more brands than are
 * worth listing is counted through the trigram index, without index-only scans.
 *
 * A range on a field of one's own is counted through that field's index: reading `attributes ->
 * 'key'` from every row costs far more than the planner reckons for an operator, so left to itself
 * it read the table (10,001 of 57,255 matches: 120 ms, against 60 ms through the index).
 */
async function countUpTo(db: Kysely<Database>, filters: ProductFilters, bound: number, also?: RawBuilder<boolean>): Promise<number> {
  const given = activeFilters(filters);
  const brands = given.brand ? await brandsHolding(db, given.brand) : null;
  const matches = filtered(db.selectFrom("products").select(sql`1`.as("one")), brands ? { ...filters, brand: undefined } : filters)
    .$if(brands !== null, (query) => query.where(sql<boolean>`brand COLLATE catalog_order = ANY(${brands}::text[])`))
    .$if(also !== undefined, (query) => query.where(also!));
  const bounded = sql<{ count: string }>`SELECT count(*) AS count FROM (${matches.limit(bound)}) AS bounded`;
  const planning =
    given.brand && !brands ? "enable_indexonlyscan" : boundsARange(filters.attributes as AttributeFilter | undefined) ? "enable_seqscan" : null;
  const { rows } = planning
    ? await db.transaction().execute(async (tx) => {
        await sql`SET LOCAL ${sql.raw(planning)} = off`.execute(tx);
        return bounded.execute(tx);
      })
    : await bounded.execute(db);
  return Number(rows[0]!.count);
}

export async function countMatching(db: Kysely<Database>, filters: ProductListInput, all: number): Promise<ProductTotal> {
  if (!onlyByFlag(filters)) {
    const count = await countUpTo(db, filters, COUNT_BOUND + 1);
    return count > COUNT_BOUND ? { total: COUNT_BOUND, totalExact: false } : { total: count, totalExact: true };
  }
  if (filters.active === undefined) return { total: all, totalExact: true };
  return { total: await countWithFlag(db, filters.active, all), totalExact: true };
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
  group: sql`product_group COLLATE catalog_order`,
  createdAt: sql`created_at`,
  updatedAt: sql`updated_at`,
};
/** Sorts by a field a product may lack: those come last, in both orders. */
const NULLABLE_SORTS: readonly ProductSort[] = ["price", "stock", "brand", "category", "group"];
const DIRECTIONS: Record<SortOrder, RawBuilder<unknown>> = { asc: sql`ASC`, desc: sql`DESC` };

function ordering(input: Pick<ProductListInput, "sort" | "order">) {
  const key = SORT_KEYS[input.sort ?? "added"];
  const direction = DIRECTIONS[input.order ?? "asc"];
  if (!input.sort) return sql`id ${direction}`;
  return NULLABLE_SORTS.includes(input.sort) ? sql`${key} ${direction} NULLS LAST, id ${direction}` : sql`${key} ${direction}, id ${direction}`;
}

/** How many products the planner expects the filters to match: an estimate, to choose how to look. */
async function expectedMatches(db: Kysely<Database>, filters: ProductFilters, scope?: RawBuilder<boolean>): Promise<number> {
  type Plan = { "QUERY PLAN": [{ Plan: { "Plan Rows": number } }] };
  const [plan] = await filtered(db.selectFrom("products").select("id"), filters)
    .$if(scope !== undefined, (query) => query.where(scope!))
    .explain<Plan>("json");
  return plan!["QUERY PLAN"][0].Plan["Plan Rows"];
}

/**
 * The page's ids first, from the narrowest index, then only those rows: skipping 250,000 rows
 * for page 5,000 is then an index-only walk instead of reading every skipped row.
 *
 * A filtered page past the first COUNT_BOUND matches, which the planner expects to lie past the
 * last one, is first looked for by counting the matches up to it in any order. No sort index holds
 * a brand's, a category's or a tag's matches in price order, so reaching such a page in order
 * means sorting every match (a common category's 60,540: 260 ms at 466,693 products, against
 * 30 ms to count them in the category index; a common brand's, 400 against 20 ms). A page that
 * does exist would cost that count on top of its walk, hence the estimate first.
 */
async function pageOf(db: Kysely<Database>, input: ProductListInput, scope?: RawBuilder<boolean>) {
  const offset = (input.page - 1) * input.pageSize;
  const deep = offset >= COUNT_BOUND && (!onlyByFlag(input) || scope !== undefined);
  if (deep && (await expectedMatches(db, input, scope)) <= offset && (await countUpTo(db, input, offset + 1, scope)) <= offset) return [];
  const order = ordering(input);
  const ids = (by: RawBuilder<unknown>, limit: number, skip: number, also?: RawBuilder<boolean>) =>
    filtered(db.selectFrom("products").select("id"), input)
      .$if(scope !== undefined, (query) => query.where(scope!))
      .$if(also !== undefined, (query) => query.where(also!))
      .orderBy(by)
      .limit(limit)
      .offset(skip);
  const rowsOf = (page: ReturnType<typeof ids>) => db.selectFrom("products").selectAll().where("id", "in", page).orderBy(order).execute();
  if (!input.sort || input.order !== "desc" || !NULLABLE_SORTS.includes(input.sort)) return rowsOf(ids(order, input.pageSize, offset));
  // Descending, products lacking the field still come last: the products with a value from the
  // ascending index read backwards, then (for the page that reaches them) those without, newest
  // first. One index per sort, where an index of each order would cost every write twice.
  const key = SORT_KEYS[input.sort];
  const hasValue = sql<boolean>`${key} IS NOT NULL`;
  const valued = await rowsOf(ids(sql`${key} DESC, id DESC`, input.pageSize, offset, hasValue));
  if (valued.length === input.pageSize) return valued;
  // A page wholly past the products with a value skips those of the others that earlier pages hold.
  const skip = valued.length > 0 ? 0 : offset - (await countUpTo(db, input, offset + 1, both(hasValue, scope)));
  return [...valued, ...(await rowsOf(ids(sql`id DESC`, input.pageSize - valued.length, skip, sql<boolean>`${key} IS NULL`)))];
}

const both = (one: RawBuilder<boolean>, other?: RawBuilder<boolean>) => (other ? sql<boolean>`(${one} AND ${other})` : one);

/**
 * Whether a product opens a line of the grouped list: it has no group, or it is its group's first
 * product the filters match (by id). A group stands where that variant does, in any sort. The filters
 * inside read the earlier product (the innermost table), as they are unqualified. A scalar subquery,
 * so that each product is one descent of the group index: written as NOT EXISTS, the planner hashed
 * every match of a common filter first (0.5 s for a common brand at half a million).
 */
function opensLine(filters: ProductFilters): RawBuilder<boolean> {
  const matching = filterConditions(filters).map((condition) => sql` AND ${condition}`);
  return sql<boolean>`(products.product_group IS NULL OR products.id = (
    SELECT min(earlier.id) FROM products AS earlier
    WHERE earlier.product_group IS NOT NULL AND lower(earlier.product_group) = lower(products.product_group)${sql.join(matching, sql``)}))`;
}

/** A line's variants shown at most; a group of more is listed whole by its group filter. */
export const LINE_VARIANTS = 100;
/**
 * A group's products read to find its matching variants, at most (a Shopify product has at most
 * 2,048). They are read from the group index and only then filtered (OFFSET 0 keeps the filters
 * out): given them together, the planner intersected the group's index entries with a common
 * brand's 69,175 trigram matches for every line (1 s a page at half a million).
 */
const GROUP_ROWS_READ = 2_048;

export interface ProductLineRows {
  /** The line's first variant (a product without a group is a line of its own). */
  first: Selectable<ProductsTable>;
  /** The group's variants the filters match, in the order they were added (the first among them), at most LINE_VARIANTS. */
  variants: Selectable<ProductsTable>[];
  /** Every variant of the group, matched or not. */
  variantCount: number;
}

/**
 * One page of the grouped list: its lines, then for the page's groups their matching variants
 * (each group one range of the group index) and their sizes, in two queries.
 */
export async function pageOfLines(db: Kysely<Database>, input: ProductListInput): Promise<ProductLineRows[]> {
  const firsts = await pageOf(db, input, opensLine(input));
  const groups = [...new Set(firsts.flatMap((first) => (first.product_group === null ? [] : [first.product_group])))];
  if (groups.length === 0) return firsts.map((first) => ({ first, variants: [first], variantCount: 1 }));
  const matching = filterConditions(input).map((condition) => sql` AND ${condition}`);
  const [variants, sizes] = await Promise.all([
    sql<Selectable<ProductsTable> & { line_group: string }>`
      SELECT given.line_group, variant.* FROM unnest(${groups}::text[]) AS given(line_group)
      CROSS JOIN LATERAL (
        SELECT * FROM (
          SELECT * FROM products
          WHERE product_group IS NOT NULL AND lower(product_group) = lower(given.line_group)
          ORDER BY lower(product_group), id LIMIT ${GROUP_ROWS_READ} OFFSET 0) AS member
        WHERE true${sql.join(matching, sql``)}
        LIMIT ${LINE_VARIANTS}) AS variant`.execute(db),
    sql<{ line_group: string; count: string }>`
      SELECT given.line_group, (SELECT count(*) FROM products
        WHERE product_group IS NOT NULL AND lower(product_group) = lower(given.line_group)) AS count
      FROM unnest(${groups}::text[]) AS given(line_group)`.execute(db),
  ]);
  const byGroup = new Map<string, Selectable<ProductsTable>[]>();
  for (const { line_group, ...variant } of variants.rows) byGroup.set(line_group, [...(byGroup.get(line_group) ?? []), variant]);
  const countOf = new Map(sizes.rows.map((row) => [row.line_group, Number(row.count)]));
  return firsts.map((first) =>
    first.product_group === null
      ? { first, variants: [first], variantCount: 1 }
      : { first, variants: byGroup.get(first.product_group) ?? [first], variantCount: countOf.get(first.product_group) ?? 1 },
  );
}

/** Whether any product is in a group: the group index's first entry (in its order, so never a walk of the table). */
export async function hasGroups(db: Kysely<Database>): Promise<boolean> {
  const { rows } = await sql<{ grouped: boolean }>`
    SELECT (SELECT id FROM products WHERE product_group IS NOT NULL ORDER BY lower(product_group), id LIMIT 1) IS NOT NULL AS grouped`.execute(db);
  return rows[0]!.grouped;
}

/** How many lines of the grouped list the filters match, counting no further than `bound` (the matching products). */
export const countLinesUpTo = (db: Kysely<Database>, filters: ProductFilters, bound: number) => countUpTo(db, filters, bound, opensLine(filters));

/** How many lines the unfiltered grouped list has: the products without a group and the groups, read from the group index alone. */
export async function countLines(db: Kysely<Database>, all: number): Promise<number> {
  const { rows } = await sql<{ grouped: string; groups: string }>`
    SELECT count(*) AS grouped, count(DISTINCT lower(product_group)) AS groups FROM products WHERE product_group IS NOT NULL`.execute(db);
  return all - Number(rows[0]!.grouped) + Number(rows[0]!.groups);
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
  for (const field of COMMERCE_FIELDS) {
    const value = input[field];
    if (value !== undefined)
      columns[COMMERCE_FIELD_SPECS[field].column] = COMMERCE_FIELD_SPECS[field].stored === "jsonb" ? JSON.stringify(value) : value;
  }
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
const editedAttributes = (changes: AttributeChanges, stored = sql`attributes`) =>
  sql<string>`((${stored} || ${JSON.stringify(changes.set)}::jsonb) - ${changes.clear}::text[])`;

export function updateProductRow(db: Kysely<Database>, input: Omit<ProductUpdateInput, "attributes">, attributes?: AttributeChanges) {
  const { id, sku, name, description, active } = input;
  const changes = { sku, name, description, active, ...commerceColumns(input), ...(attributes ? { attributes: editedAttributes(attributes) } : {}) };
  return (
    db
      .updateTable("products")
      // An edit: the product no longer holds any import's values (an undo leaves it alone).
      .set({ ...changes, updated_at: sql`now()`, last_change_kind: "edit", last_change_import_id: null, values_import_id: null })
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

/** What a bulk update writes: fields set (null clears one), and tags added or removed, compared by case. */
export interface BulkChange {
  set: Omit<BulkSet, "attributes">;
  /** The custom fields' values set and cleared, read against the fields. */
  attributes?: AttributeChanges;
  addTags: readonly string[];
  removeTags: readonly string[];
}

/** A products column a bulk update can write. */
type BulkColumn = "active" | (typeof COMMERCE_FIELD_SPECS)[CommerceField]["column"] | "attributes";

const STORED_TYPES = { numeric: "numeric", integer: "integer", text: "text", textArray: "text[]", jsonb: "jsonb" } as const;

/**
 * Each column the change writes, with its new value as an expression of the row as it is: the
 * update reads the row it writes (`products.` qualified, since it also reads the row's earlier
 * values under another name).
 */
function newValues(change: BulkChange): Map<BulkColumn, RawBuilder<unknown>> {
  const values = new Map<BulkColumn, RawBuilder<unknown>>();
  if (change.set.active !== undefined) values.set("active", sql`CAST(${change.set.active} AS boolean)`);
  for (const field of BULK_COMMERCE_FIELDS) {
    const value = change.set[field];
    if (value === undefined) continue;
    const { column, stored } = COMMERCE_FIELD_SPECS[field];
    values.set(column, sql`CAST(${value} AS ${sql.raw(STORED_TYPES[stored])})`);
  }
  if (editsTags(change)) values.set("tags", editedTags(change));
  if (change.attributes) {
    values.set("attributes", editedAttributes(change.attributes, sql`products.attributes`));
  }
  return values;
}

const editsTags = (change: BulkChange) => change.addTags.length > 0 || change.removeTags.length > 0;

/** Tags lower-cased as the tag filter and its index compare them (migration 0019's `lower_tags`). */
const lowered = (tags: RawBuilder<unknown>) => sql`lower_tags(${tags})`;
const given = (tags: readonly string[]) => sql`CAST(${tags} AS text[])`;

/**
 * The row's tags without those removed, then the added ones it lacks, each list in its order;
 * compared by case, as tags are (a product keeps its own spelling of a tag it has). Worked out
 * only for the rows written: `tagsDiffer` says which those are more cheaply.
 */
function editedTags({ addTags, removeTags }: BulkChange): RawBuilder<unknown> {
  const kept =
    removeTags.length === 0
      ? sql`products.tags`
      : sql`ARRAY(SELECT kept.tag FROM unnest(products.tags) WITH ORDINALITY AS kept(tag, at)
                  WHERE lower(kept.tag) <> ALL (${lowered(given(removeTags))}) ORDER BY kept.at)`;
  if (addTags.length === 0) return kept;
  return sql`(${kept} || ARRAY(SELECT added.tag FROM unnest(${given(addTags)}) WITH ORDINALITY AS added(tag, at)
                               WHERE lower(added.tag) <> ALL (${lowered(sql`products.tags`)}) ORDER BY added.at))`;
}

/**
 * Whether the tags change: the row has a tag removed, or lacks one added (a tag is never both).
 * Array operators on `lower_tags`, which its GIN index can answer for a removal.
 */
function tagsDiffer({ addTags, removeTags }: BulkChange): RawBuilder<boolean> {
  const has = lowered(sql`products.tags`);
  const conditions = [
    ...(removeTags.length > 0 ? [sql`${has} && ${lowered(given(removeTags))}`] : []),
    ...(addTags.length > 0 ? [sql`NOT (${has} @> ${lowered(given(addTags))})`] : []),
  ];
  return sql<boolean>`(${sql.join(conditions, sql` OR `)})`;
}

/** Whether a row has any of the change's values not already: only those products are written and counted. */
function differs(change: BulkChange, values: Map<BulkColumn, RawBuilder<unknown>>) {
  const conditions = [...values]
    .filter(([column]) => column !== "tags" || !editsTags(change))
    .map(([column, value]) => sql<boolean>`${sql.ref(`products.${column}`)} IS DISTINCT FROM ${value}`);
  if (editsTags(change)) conditions.push(tagsDiffer(change));
  return sql<boolean>`(${sql.join(conditions, sql` OR `)})`;
}

/** Whether adding the tags would give the row more than a product can have; the new list is worked out only near the limit. */
function overTagLimit(change: BulkChange, values: Map<BulkColumn, RawBuilder<unknown>>) {
  if (change.addTags.length === 0) return sql<boolean>`false`;
  return sql<boolean>`CASE WHEN cardinality(products.tags) + ${change.addTags.length} > ${TAG_LIMITS.count}
    THEN cardinality(${values.get("tags")}) > ${TAG_LIMITS.count} ELSE false END`;
}

/**
 * How many products the target names; given a change, how many of those would end up with more
 * tags than a product can have, and (unless told not to) how many it would change.
 */
export async function countTargeted(db: Kysely<Database>, target: BulkTarget, change?: BulkChange, options: { differing?: boolean } = {}) {
  const values = change ? newValues(change) : null;
  const row = await db
    .selectFrom("products")
    .select((eb) => [
      eb.fn.countAll<string>().as("matched"),
      (values && options.differing !== false ? sql<string>`count(*) FILTER (WHERE ${differs(change!, values)})` : eb.fn.countAll<string>()).as(
        "differing",
      ),
      (values ? sql<string>`count(*) FILTER (WHERE ${overTagLimit(change!, values)})` : sql<string>`0`).as("overTagLimit"),
    ])
    .where(targetCondition(target))
    .executeTakeFirstOrThrow();
  return { matched: Number(row.matched), differing: Number(row.differing), overTagLimit: Number(row.overTagLimit) };
}

/** A product a bulk update changed: as it was (the written columns' earlier values) and as it is. */
export interface BulkChanged {
  before: Selectable<ProductsTable>;
  after: Selectable<ProductsTable>;
}

/**
 * Writes the change on the targeted products that differ, in one statement: a bulk change (no
 * import's values any more). With `rows`, each changed product comes back as it was and as it is
 * (for one event each, with its earlier values); otherwise their count.
 */
export async function updateTargeted(
  db: Kysely<Database>,
  target: BulkTarget,
  change: BulkChange,
  rows: boolean,
): Promise<{ count: number; rows: BulkChanged[] | null }> {
  const values = newValues(change);
  const written = {
    ...(Object.fromEntries(values) as Partial<Record<BulkColumn, RawBuilder<never>>>),
    updated_at: sql<Date>`now()`,
    last_change_kind: "bulk" as const,
    last_change_import_id: null,
    values_import_id: null,
  };
  if (!rows) {
    const update = db.updateTable("products").set(written).where(targetCondition(target)).where(differs(change, values));
    const { count } = await db
      .with("changed", () => update.returning("id"))
      .selectFrom("changed")
      .select((eb) => eb.fn.countAll<string>().as("count"))
      .executeTakeFirstOrThrow();
    return { count: Number(count), rows: null };
  }
  // The rows locked first, so the update reads their earlier values beside it (RETURNING sees only the new ones).
  const columns = [...values.keys()];
  const changed = await db
    .with("before", (qb) =>
      qb
        .selectFrom("products")
        .select(["id", ...columns])
        .where(targetCondition(target))
        .where(differs(change, values))
        .forUpdate(),
    )
    .updateTable("products")
    .from("before")
    .set(written)
    .whereRef("products.id", "=", "before.id")
    .returningAll("products")
    .returning(columns.map((column) => sql.ref(`before.${column}`).as(`before_${column}`)))
    .execute();
  return {
    count: changed.length,
    rows: changed.map((row) => {
      const after = { ...row } as Record<string, unknown>;
      const before = { ...row } as Record<string, unknown>;
      for (const column of columns) {
        before[column] = after[`before_${column}`];
        delete after[`before_${column}`];
        delete before[`before_${column}`];
      }
      return { before, after } as unknown as BulkChanged;
    }),
  };
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
