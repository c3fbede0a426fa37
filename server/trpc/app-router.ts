import { importsRouter } from "../imports/imports.router.js";
import { createCallerFactory, router } from "./trpc.js";

export const appRouter = router({
  imports: importsRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
