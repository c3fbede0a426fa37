import compression from "compression";
import express, { type RequestHandler } from "express";
import { createExpressMiddleware } from "@trpc/server/adapters/express";
import { randomUUID } from "node:crypto";
import type { Logger } from "./logger.js";
import { appRouter, createCaller } from "./trpc/app-router.js";
import type { ApiContext } from "./trpc/trpc.js";
import { uploadRoute } from "./imports/upload-route.js";
import { progressRoute } from "./imports/progress-route.js";
import { errorsCsvRoute } from "./imports/errors-csv-route.js";
import type { ProgressHub } from "./imports/progress-hub.js";
import { exportRoute } from "./products/export-route.js";

export interface HttpAppDeps {
  api: ApiContext;
  hub: ProgressHub;
  log: Logger;
  maxUploadBytes: number;
  isReady: () => Promise<boolean>;
  /** The Remix request handler; absent in API-only tests. */
  pages?: RequestHandler;
  /** False for ROLE=worker: it answers /healthz only. */
  serveApi?: boolean;
}

export function createHttpApp(deps: HttpAppDeps) {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", true);

  app.use((req, res, next) => {
    const requestId = req.get("x-request-id") || randomUUID();
    res.set("X-Request-Id", requestId);
    req.log = deps.log.child({ requestId });
    next();
  });

  app.get("/healthz", async (_req, res) => {
    const ready = await deps.isReady().catch(() => false);
    res.status(ready ? 200 : 503).json({ ok: ready });
  });

  if (deps.serveApi === false) return app;

  app.post(
    "/api/imports",
    uploadRoute({
      db: deps.api.db,
      pool: deps.api.pool,
      maxUploadBytes: deps.maxUploadBytes,
      onQueued: deps.api.requestImportApply,
    }),
  );
  app.get("/api/imports/:id/events", progressRoute({ db: deps.api.db, hub: deps.hub }));
  // Everything below may be compressed; the two streams above must not be buffered.
  app.use(compression());
  app.get("/api/imports/:id/errors.csv", errorsCsvRoute({ db: deps.api.db }));
  app.get("/api/products/export", exportRoute({ db: deps.api.db, pool: deps.api.pool }));
  app.use(
    "/api/trpc",
    express.json({ limit: "1mb" }),
    createExpressMiddleware({
      router: appRouter,
      createContext: () => deps.api,
      onError: ({ error, path }) => {
        if (error.code === "INTERNAL_SERVER_ERROR") deps.log.error({ err: error, path }, "procedure failed");
      },
    }),
  );

  if (deps.pages) {
    app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
    app.use(express.static("public", { maxAge: "1h" }));
    app.all("*", deps.pages);
  }
  return app;
}

export interface PageSettings {
  maxUploadBytes: number;
}

export function loadContextFor(api: ApiContext, settings: PageSettings) {
  return () => ({ trpc: createCaller(api), settings });
}
