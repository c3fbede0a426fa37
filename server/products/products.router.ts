import { z } from "zod";
import { publicProcedure, router } from "../trpc/trpc.js";
import { bulkDeleteProducts, bulkUpdateProducts } from "./bulk-actions.js";
import { createProduct, deleteAllProducts, deleteProduct, updateProduct } from "./catalog.js";
import { ProductNotFound } from "./product-errors.js";
import {
  bulkDeleteInput,
  bulkUpdateInput,
  productFilters,
  productCreateInput,
  productIdInput,
  productListInput,
  productUpdateInput,
} from "./product.schema.js";
import { toProductJson } from "./product-json.js";
import { countProducts, findProduct, listProducts } from "./products.table.js";

export const productsRouter = router({
  list: publicProcedure.input(productListInput.default({ page: 1, pageSize: 50 })).query(async ({ ctx, input }) => {
    const { items, total, totalExact } = await listProducts(ctx.db, input);
    return { items: items.map(toProductJson), total, totalExact, page: input.page, pageSize: input.pageSize };
  }),
  /** How many products the filters match, exactly (the list's total stops counting at 10,000). */
  count: publicProcedure.input(productFilters.default({})).query(async ({ ctx, input }) => ({ count: await countProducts(ctx.db, input) })),
  get: publicProcedure.input(productIdInput).query(async ({ ctx, input }) => {
    const row = await findProduct(ctx.db, input.id);
    if (!row) throw new ProductNotFound(input.id);
    return toProductJson(row);
  }),
  create: publicProcedure.input(productCreateInput).mutation(({ ctx, input }) => createProduct(ctx.db, input)),
  update: publicProcedure.input(productUpdateInput).mutation(({ ctx, input }) => updateProduct(ctx.db, input)),
  delete: publicProcedure.input(productIdInput).mutation(({ ctx, input }) => deleteProduct(ctx.db, input.id)),
  bulkUpdate: publicProcedure.input(bulkUpdateInput).mutation(({ ctx, input }) => bulkUpdateProducts(ctx, input)),
  bulkDelete: publicProcedure.input(bulkDeleteInput).mutation(({ ctx, input }) => bulkDeleteProducts(ctx, input)),
  deleteAll: publicProcedure.input(z.object({}).passthrough().default({})).mutation(({ ctx }) => deleteAllProducts(ctx.db)),
});
