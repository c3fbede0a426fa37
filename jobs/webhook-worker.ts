import { randomBytes } from "node:crypto";
import type pg from "pg";
import { deliverJobs, type DeliverDeps } from "../server/webhooks/deliver-jobs.js";
import { DELIVERY_JOB_OPTIONS, WEBHOOK_QUEUE, type DeliveryJob } from "../server/webhooks/delivery-queue.js";
import { dispatchEvents } from "../server/webhooks/dispatch-events.js";
import { pruneWebhookHistory } from "../server/webhooks/retention.js";

/** How often the outbox is checked for new events; cheap (a partial index of undispatched ones). */
const DISPATCH_EVERY_MS = 250;
/** How often events and delivery attempts past their retention are looked for (one index probe each when there are none). */
const PRUNE_EVERY_MS = 60_000;
/** Delivery jobs one fetch takes (see IN_FLIGHT in deliver-jobs for how many go at once). */
const BATCH_SIZE = 50;

/** Jobs one insert takes. */
const INSERT_CHUNK = 1_000;

/**
 * Job ids that sort in the order given: jobs inserted together share `created_on`, after which
 * pg-boss hands them out by id. Time first, then a per-call constant, then a counter (UUID v7 layout).
 */
function orderedJobIds(count: number): string[] {
  const time = Date.now().toString(16).padStart(12, "0");
  const middle = randomBytes(3).toString("hex");
  return Array.from({ length: count }, (_, index) => {
    const counter = index.toString(16).padStart(12, "0");
    return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${middle.slice(0, 3)}-8${middle.slice(3, 6)}-${counter}`;
  });
}

/** Queues delivery attempts (Resend, recover) for any worker to make, oldest first. */
export const deliveryQueue = (boss: DeliverDeps["boss"]) => async (jobs: DeliveryJob[]) => {
  const ids = orderedJobIds(jobs.length);
  for (let start = 0; start < jobs.length; start += INSERT_CHUNK) {
    await boss.insert(
      jobs.slice(start, start + INSERT_CHUNK).map((data, index) => ({ id: ids[start + index]!, name: WEBHOOK_QUEUE, data, ...DELIVERY_JOB_OPTIONS })),
    );
  }
};

export interface WebhookWorker {
  stop(): Promise<void>;
}

/**
 * Fetchers per process: a batch waits for its slowest receiver (up to the timeout), so a second
 * one keeps the others moving meanwhile.
 */
const FETCHERS = 2;

export async function startWebhookWorker(pool: pg.Pool, deps: DeliverDeps): Promise<WebhookWorker> {
  const { boss } = deps;
  const workerIds: string[] = [];
  for (let i = 0; i < FETCHERS; i += 1) {
    let workerId = "";
    workerId = await boss.work<DeliveryJob>(WEBHOOK_QUEUE, { batchSize: BATCH_SIZE, pollingIntervalSeconds: 1 }, async (jobs) => {
      await deliverJobs(
        deps,
        jobs.map((job) => job.data),
      );
      // A full batch means more are waiting: fetch again at once instead of after the poll interval.
      if (workerId && jobs.length === BATCH_SIZE) boss.notifyWorker(workerId);
    });
    workerIds.push(workerId);
  }

  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const dispatch = async () => {
    let taken: number;
    do {
      taken = await dispatchEvents(deps.db, pool, boss);
      if (taken > 0) for (const workerId of workerIds) boss.notifyWorker(workerId);
    } while (taken > 0 && !stopped);
  };
  // Four times a second during a database outage: one line per half minute says enough.
  let lastWarnedAt = 0;
  const timer = setInterval(() => {
    running = running.then(dispatch).catch((error: Error) => {
      if (Date.now() - lastWarnedAt < 30_000) return;
      lastWarnedAt = Date.now();
      deps.log.warn({ error: error.message }, "dispatching webhook events failed; retrying every 250 ms");
    });
  }, DISPATCH_EVERY_MS);

  const pruning = new AbortController();
  let pruned: Promise<unknown> = Promise.resolve();
  const prune = () => {
    pruned = pruneWebhookHistory(deps.db, deps.log, deps.settings.retentionDays, pruning.signal).catch((error: Error) =>
      deps.log.warn({ error: error.message }, "pruning webhook history failed; trying again later"),
    );
  };
  const pruner = setInterval(prune, PRUNE_EVERY_MS);
  prune();

  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      clearInterval(pruner);
      pruning.abort();
      await Promise.all([running, pruned]);
      await boss.offWork(WEBHOOK_QUEUE);
    },
  };
}
