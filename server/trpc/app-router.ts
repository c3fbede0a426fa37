import { importsRouter } from "../imports/imports.router.js";
import { productsRouter } from "../products/products.router.js";
import { createCallerFactory, router } from "./trpc.js";

export const appRouter = router({
  imports: importsRouter,
  products: productsRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
