import type pg from "pg";
import { deliverJobs, type DeliverDeps } from "../server/webhooks/deliver-jobs.js";
import { DELIVERY_JOB_OPTIONS, WEBHOOK_QUEUE, type DeliveryJob } from "../server/webhooks/delivery-queue.js";
import { dispatchEvents } from "../server/webhooks/dispatch-events.js";

/** How often the outbox is checked for new events; cheap (a partial index of undispatched ones). */
const DISPATCH_EVERY_MS = 250;
/** Delivery jobs one fetch takes (see IN_FLIGHT in deliver-jobs for how many go at once). */
const BATCH_SIZE = 50;

/** Queues one delivery attempt (Resend), for any worker to make. */
export const deliveryQueue = (boss: DeliverDeps["boss"]) => async (job: DeliveryJob) => {
  await boss.send(WEBHOOK_QUEUE, job, DELIVERY_JOB_OPTIONS);
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

  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
      await boss.offWork(WEBHOOK_QUEUE);
    },
  };
}
