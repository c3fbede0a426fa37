import { feedsRouter } from "../feeds/feeds.router.js";
import { importsRouter } from "../imports/imports.router.js";
import { mappingsRouter } from "../mappings/mappings.router.js";
import { fieldsRouter } from "../products/custom-fields/fields.router.js";
import { productsRouter } from "../products/products.router.js";
import { webhooksRouter } from "../webhooks/webhooks.router.js";
import { apiTokensRouter } from "../tokens/api-tokens.router.js";
import { createCallerFactory, router } from "../trpc/trpc.js";

export const appRouter = router({
  apiTokens: apiTokensRouter,
  feeds: feedsRouter,
  fields: fieldsRouter,
  imports: importsRouter,
  mappings: mappingsRouter,
  products: productsRouter,
  webhooks: webhooksRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
