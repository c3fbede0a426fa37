import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.js";
import { productCount } from "./catalog-counts.table.js";
import { catalogVersion } from "./catalog-version.js";
import { hasFilter, type ProductFilters, type ProductListInput } from "./product.schema.js";
import { toProductJson } from "./product-json.js";
import { countLines, countLinesUpTo, countMatching, hasGroups, pageOfLines, type ProductTotal } from "./products.table.js";

/**
 * The grouped products list (`products.groups`): one line per group, standing where its first
 * matching variant would in the list's sort, and one per product without a group; the same
 * filters, sorts and pages as `products.list`. A line carries its matching variants and the size
 * of its group; `products` counts the matching products as the list does.
 */
export async function listProductLines(db: Kysely<Database>, input: ProductListInput) {
  const all = await productCount(db);
  const none = { total: 0, totalExact: true };
  if (all === 0) return { items: [], ...none, products: none };
  const [lines, products] = await Promise.all([pageOfLines(db, input), countMatching(db, input, all)]);
  const total = await lineTotal(db, input, all, products);
  return {
    items: lines.map((line) => ({ group: line.first.product_group, variantCount: line.variantCount, variants: line.variants.map(toProductJson) })),
    // Not counted (lineTotal): the lines up to this page, and a next page when it is full.
    ...(total === null ? { total: (input.page - 1) * input.pageSize + lines.length, totalExact: false } : { total, totalExact: true }),
    products,
  };
}

/**
 * The unfiltered count reads every grouped product's index entry (tens of milliseconds at half a
 * million), so each process keeps the last one per database until the catalog changes.
 */
const unfilteredCounts = new WeakMap<Kysely<Database>, { version: string; count: number }>();

/**
 * Matching products past which their lines are not counted: each is tested for an earlier match in
 * its group (5,347 matches took 38 ms, 46,669 took 120 ms at half a million), and the list pages
 * on with "Next" instead.
 */
const LINES_COUNTED = 2_000;

/** How many lines match: exact unfiltered, in a catalog without groups, or when the matching products are few enough to test each. */
async function lineTotal(db: Kysely<Database>, filters: ProductFilters, all: number, products: ProductTotal): Promise<number | null> {
  if (!hasFilter(filters)) return unfilteredLineCount(db, all);
  if (!(await hasGroups(db))) return products.totalExact ? products.total : null;
  return products.totalExact && products.total <= LINES_COUNTED ? countLinesUpTo(db, filters, products.total) : null;
}

async function unfilteredLineCount(db: Kysely<Database>, all: number): Promise<number> {
  const version = await catalogVersion(db);
  const kept = unfilteredCounts.get(db);
  if (kept?.version === version) return kept.count;
  const count = await countLines(db, all);
  unfilteredCounts.set(db, { version, count });
  return count;
}
