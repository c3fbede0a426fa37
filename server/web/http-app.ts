import compression from "compression";
import express, { type ErrorRequestHandler, type Request, type RequestHandler, type Response } from "express";
import { createExpressMiddleware } from "@trpc/server/adapters/express";
import type { Logger } from "../logger.js";
import { appRouter, createCaller } from "./app-router.js";
import { TRPCError } from "@trpc/server";
import type { ApiContext } from "../trpc/trpc.js";
import { REFUSALS, SERVER_FAULT_MESSAGE } from "../refusal.js";
import { uploadRoute } from "../imports/upload/upload-route.js";
import { progressRoute } from "../imports/progress/progress-route.js";
import { errorsCsvRoute } from "../imports/errors-csv-route.js";
import type { ProgressHub } from "../imports/progress/progress-hub.js";
import { exportRoute } from "../products/export-route.js";
import type { Access } from "../auth/access.js";
import { pageAccess } from "../auth/page-access.js";
import { accessGate, callerOf, metricsGate, trpcRefusal } from "../http/access-gate.js";
import { verifyApiToken } from "../tokens/api-tokens.js";
import { canonicalPath } from "../http/canonical-path.js";
import { crossSiteGuard } from "../http/cross-site-guard.js";
import { openHostGuard } from "../http/open-host-guard.js";
import { requestDeadline } from "../http/request-deadline.js";
import { requestLog } from "../http/request-log.js";
import { requestMetrics } from "../http/request-metrics.js";
import { metricsRoute, type MetricsSources } from "./metrics-route.js";
import { cspNonce, securityHeaders } from "../http/security-headers.js";

export interface HttpAppDeps {
  api: ApiContext;
  hub: ProgressHub;
  log: Logger;
  access: Access;
  /** Express "trust proxy": whose X-Forwarded-For / -Proto to believe. */
  trustProxy: boolean | number | string;
  /** Host names an app without a password answers to, besides localhost and IP addresses. */
  allowedHosts: string[];
  /** Every request but an upload must have arrived whole within this long (REQUEST_TIMEOUT_MS). */
  requestTimeoutMs: number;
  maxUploadBytes: number;
  maxConcurrentUploads: number;
  /** Large CSV uploads are read in a worker thread (PARSE_IN_WORKER). */
  parseInWorker: boolean;
  uploadIdleTimeoutMs: number;
  /** Slower than this on average over the window, an upload is failed (UPLOAD_MIN_BYTES_PER_SECOND). */
  uploadMinBytesPerSecond: number;
  uploadRateWindowMs: number;
  maxConcurrentExports: number;
  exportStallTimeoutMs: number;
  isReady: () => Promise<boolean>;
  /** The Remix request handler; absent in API-only tests. */
  pages?: RequestHandler;
  /** False for ROLE=worker: it answers /healthz and /metrics only. */
  serveApi?: boolean;
  /** The pages' path patterns (page-routes.ts), for the HTTP metrics' route label. */
  pagePatterns?: string[];
  /** A scraper's bearer token for /metrics (METRICS_TOKEN), and whether /metrics needs no credential at all. */
  metrics: { token?: string; open: boolean };
  /** The job queues' figures for /metrics (jobs/job-queue.ts). */
  queueFigures: MetricsSources["queueFigures"];
}

const MAX_TRPC_BODY_BYTES = 1024 * 1024;
/** Calls one tRPC batch may carry. The app's own pages call in-process and never batch. */
export const MAX_BATCH_CALLS = 25;

export function createHttpApp(deps: HttpAppDeps) {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", deps.trustProxy);
  app.use(requestLog(deps.log));
  app.use(requestMetrics({ procedures: new Set(Object.keys(appRouter._def.procedures)), pages: deps.pagePatterns ?? [] }));
  app.use(requestDeadline(deps.requestTimeoutMs));
  app.use(canonicalPath());
  app.use(securityHeaders());

  app.get("/healthz", async (_req, res) => {
    const ready = await deps.isReady().catch(() => false);
    res.status(ready ? 200 : 503).json({ ok: ready });
  });

  // Every ROLE answers it: a worker's merges and deliveries are what an operator watches most.
  app.get(
    "/metrics",
    ...(deps.metrics.open ? [openHostGuard(deps.allowedHosts)] : []),
    metricsGate(deps.access, (bearer) => verifyApiToken(deps.api.db, bearer), { metricsToken: deps.metrics.token, open: deps.metrics.open }),
    metricsRoute({ db: deps.api.db, pool: deps.api.pool, queueFigures: deps.queueFigures }),
  );

  if (deps.serveApi === false) return app;

  app.use(crossSiteGuard());
  if (!deps.access.enabled) app.use(openHostGuard(deps.allowedHosts));
  app.use(accessGate(deps.access, (bearer) => verifyApiToken(deps.api.db, bearer)));

  app.post(
    "/api/imports",
    uploadRoute({
      db: deps.api.db,
      pool: deps.api.pool,
      parseInWorker: deps.parseInWorker,
      maxUploadBytes: deps.maxUploadBytes,
      maxConcurrentUploads: deps.maxConcurrentUploads,
      idleTimeoutMs: deps.uploadIdleTimeoutMs,
      minRate: { bytesPerSecond: deps.uploadMinBytesPerSecond, windowMs: deps.uploadRateWindowMs },
      imports: deps.api.imports,
    }),
  );
  app.get("/api/imports/:id/events", progressRoute({ db: deps.api.db, hub: deps.hub }));
  // Everything below may be compressed; the two streams above must not be buffered.
  app.use(compression());
  app.get("/api/imports/:id/errors.csv", errorsCsvRoute({ db: deps.api.db }));
  app.get(
    "/api/products/export",
    exportRoute({ db: deps.api.db, pool: deps.api.pool, maxConcurrent: deps.maxConcurrentExports, stallTimeoutMs: deps.exportStallTimeoutMs }),
  );
  app.use(
    "/api/trpc",
    // tRPC reads and parses the body itself: express.json would parse it and tRPC stringify it
    // again, which a body nested thousands of levels deep turns into a stack overflow (a 500).
    createExpressMiddleware({
      router: appRouter,
      maxBodySize: MAX_TRPC_BODY_BYTES,
      // A query too large for a URL (imports.inspect's 64 KB sample) may be POSTed instead.
      allowMethodOverride: true,
      createContext: ({ res, info }) => {
        const refusal = trpcRefusal(res);
        if (refusal) throw new TRPCError({ code: REFUSALS[refusal.kind].trpc, message: refusal.message });
        if (info.calls.length > MAX_BATCH_CALLS) {
          throw new TRPCError({
            code: "BAD_REQUEST",
            message: `A batch may hold at most ${MAX_BATCH_CALLS} calls; this one has ${info.calls.length}. Send them in smaller batches.`,
          });
        }
        return { ...deps.api, caller: callerOf(res) };
      },
      onError: ({ error, path }) => {
        if (error.code === "INTERNAL_SERVER_ERROR") deps.log.error({ err: error, path }, "procedure failed");
      },
    }),
  );

  if (deps.pages) {
    // A miss under /build is a 404 here, never a page: the access gate leaves /build open.
    app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y", fallthrough: false }));
    app.use(express.static("public", { maxAge: "1h" }));
    app.all("*", deps.pages);
  }
  app.use(errorAnswer);
  return app;
}

/**
 * Errors express middleware passes on (a body that is not JSON, a missing asset): a short JSON
 * answer, never express's default page with a stack trace.
 */
const errorAnswer: ErrorRequestHandler = (error: { status?: number; statusCode?: number; expose?: boolean; message?: string }, req, res, _next) => {
  const status = error.status ?? error.statusCode ?? 500;
  if (status >= 500) req.log.error({ err: error }, "request failed");
  if (res.headersSent) return void res.destroy();
  const message = status === 404 ? "Not found." : status < 500 && error.expose ? error.message : SERVER_FAULT_MESSAGE;
  res.status(status).json({ error: message });
};

export interface PageSettings {
  maxUploadBytes: number;
  /** The catalog's currency (the CURRENCY setting). */
  currency: string;
}

export function loadContextFor(api: ApiContext, settings: PageSettings, access: Access) {
  return (req: Request, res: Response) => ({
    trpc: createCaller(api),
    settings,
    access: pageAccess(access, req),
    cspNonce: cspNonce(res),
    log: req.log,
  });
}
