import { collectDefaultMetrics, Counter, Histogram, Registry } from "prom-client";
import { IMPORT_STATUSES } from "../../db/schema.js";

/**
 * What this process counts as it happens: every metric is declared here, once, and recorded where
 * its event happens. Figures that live in Postgres (imports waiting, queue depths, endpoints switched
 * off) are read from it when scraped instead (server/web/metrics-route.ts), so they are the same on
 * every process. These counters are this process's own: across processes, sum them.
 */
export const processMetrics = new Registry();
collectDefaultMetrics({ register: processMetrics });

const registers = [processMetrics];

/** Imports that entered each status in this process (every move goes through imports.table.ts). */
export const importsEntered = new Counter({
  name: "product_importer_imports_total",
  help: "Imports that entered each status in this process: completed, failed, cancelled, reverted are outcomes; queued, review, processing are steps.",
  labelNames: ["status"] as const,
  registers,
});

// Every status and outcome is there from the first scrape, at 0: an alert on a rate needs the series.
for (const status of IMPORT_STATUSES) importsEntered.inc({ status }, 0);

export const rowsStaged = new Counter({
  name: "product_importer_rows_staged_total",
  help: "Rows read from files and staged (rejected rows left out) by this process.",
  registers,
});

export const rowsMerged = new Counter({
  name: "product_importer_rows_merged_total",
  help: "Staged rows merged into the catalog by this process's completed imports.",
  registers,
});

/** The phases an import's time is spent in, in the order they happen. */
export const IMPORT_PHASES = ["staging", "waiting", "review", "merge", "undo"] as const;
export type ImportPhase = (typeof IMPORT_PHASES)[number];

export const importPhaseSeconds = new Histogram({
  name: "product_importer_import_phase_seconds",
  help: "How long each phase of an import took: staging (the upload read and staged), waiting (queued until a worker started it), review (computing what it would change), merge, undo.",
  labelNames: ["phase"] as const,
  buckets: [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600],
  registers,
});

for (const phase of IMPORT_PHASES) importPhaseSeconds.zero({ phase });

/** What became of one delivery attempt. */
export const DELIVERY_OUTCOMES = ["delivered", "retrying", "failed", "gone"] as const;
export type DeliveryOutcome = (typeof DELIVERY_OUTCOMES)[number];

export const webhookDeliveries = new Counter({
  name: "product_importer_webhook_deliveries_total",
  help: "Webhook delivery attempts by outcome: delivered (2xx), retrying (failed, another attempt queued), failed (no attempt left, or a Resend that failed), gone (410: the endpoint is switched off).",
  labelNames: ["outcome"] as const,
  registers,
});

for (const outcome of DELIVERY_OUTCOMES) webhookDeliveries.inc({ outcome }, 0);

export const webhookDeliverySeconds = new Histogram({
  name: "product_importer_webhook_delivery_seconds",
  help: "How long a delivery attempt took, from sending to the receiver's answer (or its failure).",
  buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers,
});

export const httpRequestSeconds = new Histogram({
  name: "product_importer_http_request_duration_seconds",
  help: "HTTP requests by method, route (the route's pattern; unmatched for anything else) and status, until the answer was sent.",
  labelNames: ["method", "route", "status"] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120],
  registers,
});

/** Records the phase's time from two of the import's own timestamps (Postgres' clock), when it has both. */
export function recordPhase(phase: ImportPhase, from: Date | null | undefined, to: Date | null | undefined): void {
  if (!from || !to) return;
  const seconds = (to.getTime() - from.getTime()) / 1000;
  if (seconds >= 0) importPhaseSeconds.observe({ phase }, seconds);
}
