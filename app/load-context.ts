import type { createCaller } from "../server/trpc/app-router.js";
import type { PageSettings } from "../server/http-app.js";

// Routes reach the server only through the caller the HTTP edge puts in the load context.
declare module "@remix-run/node" {
  interface AppLoadContext {
    trpc: ReturnType<typeof createCaller>;
    settings: PageSettings;
  }
}

export {};
