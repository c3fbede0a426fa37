import type { RequestHandler } from "express";
import { sql, type Kysely } from "kysely";
import type pg from "pg";
import { Gauge, Registry } from "prom-client";
import type { Database } from "../../db/schema.js";
import { processMetrics } from "../metrics/app-metrics.js";
import type { QueueFigures } from "../metrics/queue-figures.js";
import { countUnsettledImports } from "../imports/imports.table.js";
import { countSwitchedOffEndpoints } from "../webhooks/webhooks.table.js";
import { asyncRoute } from "../http/async-route.js";

export interface MetricsSources {
  db: Kysely<Database>;
  pool: pg.Pool;
  queueFigures: (db: Kysely<Database>) => Promise<QueueFigures[]>;
}

/** A scrape never waits long on the database: past this its figures are left out and `database_up` says 0. */
const DATABASE_READ_TIMEOUT_MS = 2_000;

/** What lives in Postgres, read in one short read-only transaction: the same on every process. */
async function readDatabaseFigures(sources: MetricsSources) {
  return sources.db.transaction().execute(async (tx) => {
    await sql`SET TRANSACTION READ ONLY`.execute(tx);
    await sql`SET LOCAL statement_timeout = ${sql.raw(String(DATABASE_READ_TIMEOUT_MS))}`.execute(tx);
    return {
      unsettled: await countUnsettledImports(tx),
      queues: await sources.queueFigures(tx),
      switchedOff: await countSwitchedOffEndpoints(tx),
    };
  });
}

function gauge(register: Registry, name: string, help: string, labelNames: string[] = []) {
  return new Gauge({ name, help, labelNames, registers: [register] });
}

/** Gauges for this scrape alone, set from what was read. */
function scrapeRegistry(sources: MetricsSources, figures: Awaited<ReturnType<typeof readDatabaseFigures>> | undefined): Registry {
  const register = new Registry();
  const pool = gauge(
    register,
    "product_importer_db_pool_connections",
    "This process's database pool: total connections, idle ones, and queries waiting for one.",
    ["state"],
  );
  pool.set({ state: "total" }, sources.pool.totalCount);
  pool.set({ state: "idle" }, sources.pool.idleCount);
  pool.set({ state: "waiting" }, sources.pool.waitingCount);
  gauge(
    register,
    "product_importer_database_up",
    "1 when this scrape could read the database's figures, 0 when it could not (they are then left out).",
  ).set(figures ? 1 : 0);
  if (!figures) return register;
  const imports = gauge(
    register,
    "product_importer_imports",
    "Imports in each unsettled status now (from the database; the same on every process).",
    ["status"],
  );
  for (const [status, count] of figures.unsettled) imports.set({ status }, count);
  const depth = gauge(
    register,
    "product_importer_queue_depth",
    "Jobs waiting in each queue: due, waiting for a retry, or put off (from the database).",
    ["queue"],
  );
  const active = gauge(register, "product_importer_queue_active", "Jobs a worker is on in each queue (from the database).", ["queue"]);
  const oldest = gauge(
    register,
    "product_importer_queue_oldest_due_seconds",
    "How long the oldest due job of each queue has waited for a worker (from the database).",
    ["queue"],
  );
  for (const queue of figures.queues) {
    depth.set({ queue: queue.queue }, queue.waiting);
    active.set({ queue: queue.queue }, queue.active);
    oldest.set({ queue: queue.queue }, queue.oldestDueSeconds);
  }
  gauge(register, "product_importer_webhook_endpoints_disabled", "Webhook endpoints switched off and not switched on again (from the database).").set(
    figures.switchedOff,
  );
  return register;
}

/**
 * GET /metrics in Prometheus' text format: this process's counters and histograms, and what lives
 * in Postgres read as it is scraped (bounded: a partial index, the unfinished jobs, the endpoints).
 */
export function metricsRoute(sources: MetricsSources): RequestHandler {
  return asyncRoute(async (req, res) => {
    // The statement timeout bounds the queries; this bounds the wait for a connection too (a pool busy with uploads).
    let timer: NodeJS.Timeout | undefined;
    const tooLong = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${DATABASE_READ_TIMEOUT_MS} ms`)), DATABASE_READ_TIMEOUT_MS);
    });
    const figures = await Promise.race([readDatabaseFigures(sources), tooLong])
      .finally(() => clearTimeout(timer))
      .catch((error: Error) => {
        req.log.warn({ error: error.message }, "metrics: the database's figures could not be read");
        return undefined;
      });
    const merged = Registry.merge([processMetrics, scrapeRegistry(sources, figures)]);
    res
      .set("Content-Type", merged.contentType)
      .set("Cache-Control", "no-store")
      .send(await merged.metrics());
  });
}
