/**
 * The composition root: the one module that wires db/, server/, jobs/ and the Remix build together.
 * Every other module receives what it needs from here, so `server/` never reaches into `jobs/` and
 * `db/` knows nothing of either.
 */
import { stopParseWorkers, warmUpParseWorker } from "./server/imports/rows/parse-worker-pool.js";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import { existsSync } from "node:fs";
import type { Server } from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { sql } from "kysely";
import { connectDatabase, type DatabaseHandle } from "./db/connect.js";
import { ensureDatabase, startEmbeddedPostgres } from "./db/embedded.js";
import { migrateToLatest } from "./db/migrate.js";
import { importScheduler, startImportWorker, type ImportWorker } from "./jobs/import-worker.js";
import { readQueueFigures, startJobQueue } from "./jobs/job-queue.js";
import { deliveryQueue, startWebhookWorker, type WebhookWorker } from "./jobs/webhook-worker.js";
import { feedRunStarter, startFeedWorker, type FeedWorker } from "./jobs/feed-worker.js";
import type { FeedSettings } from "./server/feeds/feed-settings.js";
import { createAccess, type Access } from "./server/auth/access.js";
import { installationSecret } from "./server/auth/app-secrets.table.js";
import { checkAccessConfig, metricsOpenWithoutCredential, type Config } from "./server/config.js";
import { createHttpApp, loadContextFor, type PageSettings } from "./server/web/http-app.js";
import { createHttpServer } from "./server/web/http-server.js";
import { pagePatterns } from "./server/web/page-routes.js";
import { ProgressHub } from "./server/imports/progress/progress-hub.js";
import { createLogger, type Logger } from "./server/logger.js";
import { PERSON } from "./server/auth/caller.js";
import type { ApiContext } from "./server/trpc/trpc.js";
import type { WebhookSettings } from "./server/webhooks/webhook-settings.js";

const SESSION_SIGNING_SECRET = "session-signing";

export interface RunningApp {
  url: string;
  port: number;
  database: DatabaseHandle;
  log: Logger;
  stop(): Promise<void>;
}

async function databaseUrl(config: Config, log: Logger): Promise<{ url: string; stop: () => Promise<void> }> {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL, stop: async () => {} };
  const dataDir = path.join(config.DATA_DIR, "postgres");
  log.info({ dataDir }, "starting embedded Postgres");
  const cluster = await startEmbeddedPostgres({ dataDir, log: (line) => log.debug({ postgres: line }) });
  await ensureDatabase(cluster.adminUrl, "product_importer");
  return { url: cluster.urlFor("product_importer"), stop: cluster.stop };
}

async function loadPages(api: ApiContext, settings: PageSettings, access: Access) {
  const buildPath = path.resolve("build/index.js");
  if (!existsSync(buildPath)) return undefined;
  const build = (await import(pathToFileURL(buildPath).href)) as ServerBuild;
  return { handler: createRequestHandler({ build, getLoadContext: loadContextFor(api, settings, access) }), patterns: pagePatterns(build.routes) };
}

/** Starts everything this process's ROLE asks for; `stop` drains it in reverse order. */
export async function startApp(config: Config, options: { pages?: boolean } = {}): Promise<RunningApp> {
  const log = createLogger(config.LOG_LEVEL);
  // Before anything starts: an open app in production must be asked for (throws StartupRefused).
  const { warning } = checkAccessConfig(config);
  if (warning) log.warn(warning);
  const postgres = await databaseUrl(config, log);
  const database = connectDatabase(postgres.url, { max: config.DATABASE_POOL_SIZE });
  await migrateToLatest(database.db, postgres.url);
  const access = createAccess(config, await installationSecret(database.db, SESSION_SIGNING_SECRET));

  const serveWeb = config.ROLE !== "worker";
  const runJobs = config.ROLE !== "web";
  const boss = await startJobQueue(postgres.url, {
    // pg-boss errors carry the whole pg client; the message and code say what happened.
    onError: (error) => log.error({ error: error.message, code: (error as { code?: string }).code }, "job queue error"),
  });
  const scheduler = importScheduler(boss);
  const webhookSettings: WebhookSettings = {
    timeoutMs: config.WEBHOOK_TIMEOUT_MS,
    allowPrivateNetworks: config.WEBHOOK_ALLOW_PRIVATE_NETWORKS,
    retryDelaysSeconds: config.WEBHOOK_RETRY_DELAYS,
    retentionDays: config.WEBHOOK_RETENTION_DAYS,
  };
  const feedSettings: FeedSettings = {
    allowPrivateNetworks: config.FEED_ALLOW_PRIVATE_NETWORKS,
    timeoutMs: config.FEED_TIMEOUT_MS,
    retryDelaysMs: config.FEED_RETRY_DELAYS.map((seconds) => seconds * 1000),
    maxBytes: config.MAX_UPLOAD_BYTES,
  };
  const startFeedRun = feedRunStarter(boss, database);
  const api: ApiContext = {
    db: database.db,
    pool: database.pool,
    imports: scheduler,
    webhookSettings,
    enqueueDeliveries: deliveryQueue(boss),
    feedSettings,
    startFeedRun,
    log,
    caller: PERSON,
  };
  let worker: ImportWorker | undefined;
  let webhookWorker: WebhookWorker | undefined;
  let feedWorker: FeedWorker | undefined;
  if (runJobs) {
    worker = await startImportWorker(boss, {
      db: database.db,
      pool: database.pool,
      log,
      stagedRowsRetentionHours: config.STAGED_ROWS_RETENTION_HOURS,
      scheduler,
    });
    scheduler.wake(worker);
    webhookWorker = await startWebhookWorker(database.pool, { db: database.db, boss, log, settings: webhookSettings });
    feedWorker = await startFeedWorker(
      boss,
      { db: database.db, pool: database.pool, parseInWorker: config.PARSE_IN_WORKER, imports: scheduler, settings: feedSettings, log },
      startFeedRun,
    );
    startFeedRun.wake(feedWorker);
  }
  const hub = new ProgressHub(postgres.url, database.db);
  if (serveWeb) await hub.start();
  // The first large upload should not wait the second or so a parse worker takes to load.
  if (serveWeb && config.PARSE_IN_WORKER) warmUpParseWorker();

  let ready = true;
  const pages =
    serveWeb && options.pages !== false
      ? await loadPages(api, { maxUploadBytes: config.MAX_UPLOAD_BYTES, currency: config.CURRENCY }, access)
      : undefined;
  const app = createHttpApp({
    api,
    hub,
    log,
    access,
    trustProxy: config.TRUST_PROXY,
    allowedHosts: config.ALLOWED_HOSTS,
    requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
    maxUploadBytes: config.MAX_UPLOAD_BYTES,
    maxConcurrentUploads: config.MAX_CONCURRENT_UPLOADS,
    parseInWorker: config.PARSE_IN_WORKER,
    uploadIdleTimeoutMs: config.UPLOAD_IDLE_TIMEOUT_MS,
    uploadMinBytesPerSecond: config.UPLOAD_MIN_BYTES_PER_SECOND,
    uploadRateWindowMs: config.UPLOAD_RATE_WINDOW_MS,
    maxConcurrentExports: config.MAX_CONCURRENT_EXPORTS,
    exportStallTimeoutMs: config.EXPORT_STALL_TIMEOUT_MS,
    isReady: async () => {
      if (!ready) return false;
      await sql`SELECT 1`.execute(database.db);
      return true;
    },
    pages: pages?.handler,
    pagePatterns: pages?.patterns,
    serveApi: serveWeb,
    metrics: { token: config.METRICS_TOKEN, open: metricsOpenWithoutCredential(config) },
    queueFigures: readQueueFigures,
  });
  // Every request but an upload must arrive within REQUEST_TIMEOUT_MS; an upload's pace is watched instead.
  const server: Server = createHttpServer(app, { requestTimeoutMs: config.REQUEST_TIMEOUT_MS });
  await new Promise<void>((resolve, reject) => {
    server.listen(config.PORT, config.HOST, resolve);
    server.on("error", reject);
  });
  const port = (server.address() as { port: number }).port;
  const host = config.HOST === "0.0.0.0" || config.HOST === "::" ? "127.0.0.1" : config.HOST;
  log.info({ port, role: config.ROLE, auth: access.enabled ? "password" : "open" }, "ready");

  return {
    url: `http://${host}:${port}`,
    port,
    database,
    log,
    /**
     * Drains within SHUTDOWN_TIMEOUT_MS: readiness turns 503 and no new connections are taken,
     * progress streams end (browsers reconnect to another process with Last-Event-ID), workers
     * take no new jobs, a running import may finish until the deadline and is then handed back
     * to the queue, and requests still open at the deadline are cut.
     */
    async stop() {
      const deadline = Date.now() + config.SHUTDOWN_TIMEOUT_MS;
      ready = false;
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeIdleConnections();
      await hub.stop();
      await stopParseWorkers();
      await Promise.all([worker?.stop(deadline), webhookWorker?.stop(), feedWorker?.stop()]);
      // Delivery jobs still running at the deadline are failed back to pg-boss, which retries them.
      await boss.stop({ graceful: true, wait: true, timeout: Math.max(0, deadline - Date.now()) });
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([closed, new Promise((resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - Date.now()))))]);
      clearTimeout(timer);
      server.closeAllConnections();
      await closed;
      await database.close();
      await postgres.stop();
    },
  };
}
