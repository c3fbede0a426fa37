import { randomBytes } from "node:crypto";
import type pg from "pg";
import type PgBoss from "pg-boss";
import { DeliveryLanes, type DeliverDeps } from "../server/webhooks/deliver-jobs.js";
import { DELIVERY_JOB_OPTIONS, WEBHOOK_QUEUE, type DeliveryJob } from "../server/webhooks/delivery-queue.js";
import { dispatchEvents } from "../server/webhooks/dispatch-events.js";
import { pruneWebhookHistory } from "../server/webhooks/retention.js";

/** How often the outbox is checked for new events; cheap (a partial index of undispatched ones). */
const DISPATCH_EVERY_MS = 250;
/** How often events and delivery attempts past their retention are looked for (one index probe each when there are none). */
const PRUNE_EVERY_MS = 60_000;

export interface WebhookWorkerDeps extends Omit<DeliverDeps, "queue"> {
  boss: PgBoss;
}

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
export const deliveryQueue = (boss: PgBoss) => async (jobs: DeliveryJob[]) => {
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

export async function startWebhookWorker(pool: pg.Pool, deps: WebhookWorkerDeps): Promise<WebhookWorker> {
  const { boss } = deps;
  const lanes = new DeliveryLanes({
    ...deps,
    queue: {
      fetch: async (max) => ((await boss.fetch<DeliveryJob>(WEBHOOK_QUEUE, { batchSize: max })) ?? []).map((job) => ({ id: job.id, data: job.data })),
      complete: (ids) => boss.complete(WEBHOOK_QUEUE, ids),
      later: async (job, at) => {
        await boss.send(WEBHOOK_QUEUE, job, { ...DELIVERY_JOB_OPTIONS, startAfter: at });
      },
    },
  });
  lanes.start();

  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const dispatch = async () => {
    let taken: number;
    do {
      taken = await dispatchEvents(deps.db, pool, boss);
      if (taken > 0) lanes.wake();
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
      await Promise.all([running, pruned, lanes.stop()]);
    },
  };
}
