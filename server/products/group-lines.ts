import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.js";
import { productCount } from "./catalog-counts.table.js";
import { catalogVersion } from "./catalog-version.js";
import { hasFilter, type ProductFilters, type ProductListInput } from "./product.schema.js";
import { toProductJson } from "./product-json.js";
import { countLines, countMatching, pageOfLines, type ProductTotal } from "./products.table.js";

/**
 * The grouped products list (`products.groups`): one line per group, standing where its first
 * matching variant would in the list's sort, and one per product without a group; the same
 * filters, sorts and pages as `products.list`. A line carries its matching variants and the size
 * of its group.
 */
export async function listProductLines(db: Kysely<Database>, input: ProductListInput) {
  const all = await productCount(db);
  const none = { total: 0, totalExact: true };
  if (all === 0) return { items: [], ...none, products: none };
  const [lines, total, products] = await Promise.all([pageOfLines(db, input), lineTotal(db, input, all), countMatching(db, input, all)]);
  return {
    items: lines.map((line) => ({ group: line.first.product_group, variantCount: line.variantCount, variants: line.variants.map(toProductJson) })),
    ...total,
    products,
  };
}
export type ProductLine = Awaited<ReturnType<typeof listProductLines>>["items"][number];

/**
 * The unfiltered count reads every grouped product's index entry (tens of milliseconds at half a
 * million), so each process keeps the last one per database until the catalog changes.
 */
const unfilteredTotals = new WeakMap<Kysely<Database>, { version: string; total: ProductTotal }>();

async function lineTotal(db: Kysely<Database>, filters: ProductFilters, all: number): Promise<ProductTotal> {
  if (hasFilter(filters)) return countLines(db, filters, all);
  const version = await catalogVersion(db);
  const kept = unfilteredTotals.get(db);
  if (kept?.version === version) return kept.total;
  const total = await countLines(db, filters, all);
  unfilteredTotals.set(db, { version, total });
  return total;
}
