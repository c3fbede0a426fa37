import type pg from "pg";
import type { JobQueue } from "./job-queue.js";
import type { Logger } from "../server/logger.js";
import { deliverJobs, type DeliverDeps } from "../server/webhooks/deliver-jobs.js";
import { WEBHOOK_QUEUE, type DeliveryJob } from "../server/webhooks/delivery-queue.js";
import { dispatchEvents } from "../server/webhooks/dispatch-events.js";

/** How often the outbox is checked for new events; cheap (a partial index of undispatched ones). */
const DISPATCH_EVERY_MS = 250;
/** Deliveries in flight per process at once. */
const BATCH_SIZE = 50;

export interface WebhookWorker {
  stop(): Promise<void>;
}

export async function startWebhookWorker(boss: JobQueue, pool: pg.Pool, deps: DeliverDeps & { log: Logger }): Promise<WebhookWorker> {
  const workerId = await boss.work<DeliveryJob>(WEBHOOK_QUEUE, { batchSize: BATCH_SIZE, pollingIntervalSeconds: 1 }, async (jobs) => {
    await deliverJobs(
      deps,
      jobs.map((job) => job.data),
    );
  });

  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const dispatch = async () => {
    let taken = 0;
    do {
      taken = await dispatchEvents(deps.db, pool, boss);
      if (taken > 0) boss.notifyWorker(workerId);
    } while (taken > 0 && !stopped);
  };
  const timer = setInterval(() => {
    running = running.then(dispatch).catch((error) => deps.log.warn({ err: error }, "dispatching webhook events failed"));
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
