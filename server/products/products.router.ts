import { TRPCError, publicProcedure, router } from "../trpc/trpc.js";
import { productIdInput, productListInput, toProductJson } from "./product.schema.js";
import { findProduct, listProducts } from "./products.table.js";

export const productsRouter = router({
  list: publicProcedure.input(productListInput.default({ page: 1, pageSize: 50 })).query(async ({ ctx, input }) => {
    const { items, total } = await listProducts(ctx.db, input);
    return { items: items.map(toProductJson), total, page: input.page, pageSize: input.pageSize };
  }),
  get: publicProcedure.input(productIdInput).query(async ({ ctx, input }) => {
    const row = await findProduct(ctx.db, input.id);
    if (!row) throw new TRPCError({ code: "NOT_FOUND", message: `There is no product ${input.id}.` });
    return toProductJson(row);
  }),
});
