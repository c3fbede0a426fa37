import type { createCaller } from "../server/web/app-router.js";
import type { PageSettings } from "../server/web/http-app.js";
import type { PageAccess } from "../server/auth/page-access.js";
import type { Logger } from "../server/logger.js";

// Routes reach the server only through what the HTTP edge puts in the load context.
declare module "@remix-run/node" {
  interface AppLoadContext {
    trpc: ReturnType<typeof createCaller>;
    settings: PageSettings;
    access: PageAccess;
    /** Lets Remix's inline scripts run under the Content-Security-Policy. */
    cspNonce: string;
    /** The request's logger: its lines carry the request id. */
    log: Logger;
  }

  // Single fetch (remix.config.js): loader data is typed as the route returns it.
  interface Future {
    v3_singleFetch: true;
  }
}

export {};
