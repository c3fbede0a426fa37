import { z } from "zod";
import { TRPCError, publicProcedure, router } from "../trpc/trpc.js";
import { createProduct, deleteAllProducts, deleteProduct, updateProduct } from "./catalog.js";
import { CatalogBusy, ProductNotFound, SkuTaken } from "./product-errors.js";
import { productCreateInput, productIdInput, productListInput, productUpdateInput, toProductJson } from "./product.schema.js";
import { findProduct, listProducts } from "./products.table.js";

/** Domain refusals become the tRPC codes CONTRACT.md names, with their message intact. */
async function refusalsAsTrpcErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ProductNotFound) throw new TRPCError({ code: "NOT_FOUND", message: error.message });
    if (error instanceof SkuTaken || error instanceof CatalogBusy) throw new TRPCError({ code: "CONFLICT", message: error.message });
    throw error;
  }
}

export const productsRouter = router({
  list: publicProcedure.input(productListInput.default({ page: 1, pageSize: 50 })).query(async ({ ctx, input }) => {
    const { items, total, totalExact } = await listProducts(ctx.db, input);
    return { items: items.map(toProductJson), total, totalExact, page: input.page, pageSize: input.pageSize };
  }),
  get: publicProcedure.input(productIdInput).query(async ({ ctx, input }) => {
    const row = await findProduct(ctx.db, input.id);
    if (!row) throw new TRPCError({ code: "NOT_FOUND", message: `There is no product ${input.id}.` });
    return toProductJson(row);
  }),
  create: publicProcedure.input(productCreateInput).mutation(({ ctx, input }) => refusalsAsTrpcErrors(() => createProduct(ctx.db, input))),
  update: publicProcedure.input(productUpdateInput).mutation(({ ctx, input }) => refusalsAsTrpcErrors(() => updateProduct(ctx.db, input))),
  delete: publicProcedure.input(productIdInput).mutation(({ ctx, input }) => refusalsAsTrpcErrors(() => deleteProduct(ctx.db, input.id))),
  deleteAll: publicProcedure
    .input(z.object({}).passthrough().default({}))
    .mutation(({ ctx }) => refusalsAsTrpcErrors(() => deleteAllProducts(ctx.db))),
});
