import { z } from "zod";
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.js";
import { readAttributeFilter } from "./custom-fields/attribute-filters.js";
import { publicProcedure, router } from "../trpc/trpc.js";
import { bulkDeleteProducts, bulkUpdateProducts } from "./bulk-actions.js";
import { createProduct, deleteAllProducts, deleteProduct, updateProduct } from "./catalog.js";
import { listProductLines } from "./group-lines.js";
import { ProductNotFound } from "./product-errors.js";
import {
  bulkDeleteInput,
  type BulkTarget,
  type ProductFilters,
  bulkUpdateInput,
  productFilters,
  productCreateInput,
  productIdInput,
  productListInput,
  productUpdateInput,
} from "./product.schema.js";
import { toProductJson } from "./product-json.js";
import { countProducts, findProduct, listProducts } from "./products.table.js";

/** The filters with their custom-field conditions read against the fields (a key or value they refuse is a 400). */
async function readFilters<F extends ProductFilters>(db: Kysely<Database>, filters: F): Promise<F> {
  if (!filters.attributes) return filters;
  return { ...filters, attributes: (await readAttributeFilter(db, filters.attributes)) as F["attributes"] };
}

/** A bulk action's target, its filter read as the list reads it. */
const readTarget = async <T extends BulkTarget>(db: Kysely<Database>, target: T): Promise<T> =>
  target.filter ? { ...target, filter: await readFilters(db, target.filter) } : target;

export const productsRouter = router({
  list: publicProcedure.input(productListInput.default({ page: 1, pageSize: 50 })).query(async ({ ctx, input }) => {
    const { items, total, totalExact } = await listProducts(ctx.db, await readFilters(ctx.db, input));
    return { items: items.map(toProductJson), total, totalExact, page: input.page, pageSize: input.pageSize };
  }),
  /** The list with a group's variants on one line: same input; `total` counts lines, `products` the matching products. */
  groups: publicProcedure.input(productListInput.default({ page: 1, pageSize: 50 })).query(async ({ ctx, input }) => ({
    ...(await listProductLines(ctx.db, await readFilters(ctx.db, input))),
    page: input.page,
    pageSize: input.pageSize,
  })),
  /** How many products the filters match, exactly (the list's total stops counting at 10,000). */
  count: publicProcedure
    .input(productFilters.default({}))
    .query(async ({ ctx, input }) => ({ count: await countProducts(ctx.db, await readFilters(ctx.db, input)) })),
  get: publicProcedure.input(productIdInput).query(async ({ ctx, input }) => {
    const row = await findProduct(ctx.db, input.id);
    if (!row) throw new ProductNotFound(input.id);
    return toProductJson(row);
  }),
  create: publicProcedure.input(productCreateInput).mutation(({ ctx, input }) => createProduct(ctx.db, input)),
  update: publicProcedure.input(productUpdateInput).mutation(({ ctx, input }) => updateProduct(ctx.db, input)),
  delete: publicProcedure.input(productIdInput).mutation(({ ctx, input }) => deleteProduct(ctx.db, input.id)),
  bulkUpdate: publicProcedure.input(bulkUpdateInput).mutation(async ({ ctx, input }) => bulkUpdateProducts(ctx, await readTarget(ctx.db, input))),
  bulkDelete: publicProcedure.input(bulkDeleteInput).mutation(async ({ ctx, input }) => bulkDeleteProducts(ctx, await readTarget(ctx.db, input))),
  deleteAll: publicProcedure.input(z.object({}).passthrough().default({})).mutation(({ ctx }) => deleteAllProducts(ctx.db)),
});
