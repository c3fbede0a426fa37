import type { Selectable } from "kysely";
import type { WebhooksTable } from "../../db/schema.js";
import { findEvents } from "../events/events.table.js";
import { LaneAccounting } from "./delivery-lanes.js";
import type { DeliveryJob } from "./delivery-queue.js";
import { FinishedAttempts, type FinishedAttemptsDeps, type JobsAfterAttempt } from "./finished-attempts.js";
import { postSigned } from "./signed-message.js";
import { findWebhooks } from "./webhooks.table.js";

/** A delivery job as the queue hands it out: its id (to complete it) and what to deliver. */
export interface QueuedDelivery {
  id: string;
  data: DeliveryJob;
}

/** What the lanes need from the job queue (pg-boss, wired in jobs/webhook-worker.ts). */
export interface DeliveryQueueOps extends JobsAfterAttempt {
  fetch(max: number): Promise<QueuedDelivery[]>;
}

export interface DeliverDeps extends FinishedAttemptsDeps {
  queue: DeliveryQueueOps;
}

/** One attempt, fetched and ready to post. */
interface Ready {
  job: QueuedDelivery;
  webhook: Selectable<WebhooksTable>;
  message: { id: string; type: string; createdAt: Date; data: unknown };
}

/**
 * The delivery engine of one process: takes jobs as lanes free up, never waits for a batch's
 * slowest receiver, and keeps each endpoint within its own in-flight cap, so one that times out
 * holds at most its cap of lanes and everyone else's deliveries go on. Which attempt starts, waits
 * or is put off is the lanes' accounting (delivery-lanes.ts); this runs the loop and the I/O
 * around it. A job is completed only after its attempt is logged and its retry queued.
 */
export class DeliveryLanes {
  private readonly lanes: LaneAccounting<Ready>;
  private readonly finished: FinishedAttempts;
  private laneFreed: () => void = () => {};
  private wakeUp: () => void = () => {};
  private stopped = false;
  private loop: Promise<void> = Promise.resolve();
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly deps: DeliverDeps) {
    this.lanes = new LaneAccounting(deps.settings.timeoutMs);
    this.finished = new FinishedAttempts(deps);
  }

  start(): void {
    this.loop = this.run().catch((error: Error) => this.deps.log.error({ error: error.message }, "webhook delivery loop stopped"));
  }

  /** New jobs are waiting (the dispatcher just queued some): fetch now instead of at the next poll. */
  wake(): void {
    this.wakeUp();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeUp();
    this.laneFreed();
    await this.loop;
    // Handed back to the queue rather than made now: another process (or this one's successor) takes them.
    for (const { job } of this.lanes.drainLines()) await this.putOff(job, 0);
    await Promise.all(this.running);
    await this.finished.flush();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const room = this.lanes.roomToFetch();
      if (room === 0) {
        await new Promise<void>((resolve) => (this.laneFreed = resolve));
        continue;
      }
      let fetched: QueuedDelivery[] = [];
      try {
        fetched = await this.deps.queue.fetch(room);
      } catch (error) {
        this.deps.log.warn({ error: (error as Error).message }, "fetching webhook deliveries failed; trying again");
      }
      if (fetched.length === 0) {
        await this.idle(1_000);
        continue;
      }
      await this.begin(fetched);
    }
  }

  private idle(ms: number) {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /** Starts the attempts of a fetched batch (returns once they are under way, not done). */
  private async begin(jobs: QueuedDelivery[]): Promise<void> {
    const [events, webhooks] = await Promise.all([
      findEvents(this.deps.db, [...new Set(jobs.map((job) => job.data.eventId))]),
      findWebhooks(this.deps.db, [...new Set(jobs.map((job) => job.data.webhookId))]),
    ]);
    const eventById = new Map(events.map((event) => [event.id, event]));
    const webhookById = new Map(webhooks.map((webhook) => [webhook.id, webhook]));
    const nothingToDo: string[] = [];
    for (const job of jobs) {
      const event = eventById.get(job.data.eventId);
      const webhook = webhookById.get(job.data.webhookId);
      // Deleted endpoints, and switched-off ones (unless someone pressed Resend), hear nothing.
      if (!event || !webhook || (!webhook.enabled && !job.data.manual)) {
        nothingToDo.push(job.id);
        continue;
      }
      const message = { id: event.id, type: event.type, createdAt: event.created_at, data: event.data };
      const now = Date.now();
      const admission = this.lanes.admit({ id: webhook.id, maxInFlight: webhook.max_in_flight }, { job, webhook, message }, now);
      if (admission.kind === "start") this.track(this.attempt({ job, webhook, message }, now));
      else if (admission.kind === "put-off") await this.putOff(job, admission.ms);
      // A waiting one is started by attempt() as a slot of its endpoint frees up.
    }
    if (nothingToDo.length > 0) await this.deps.queue.complete(nothingToDo);
  }

  private track(work: Promise<void>) {
    const settled = work.finally(() => this.running.delete(settled));
    this.running.add(settled);
  }

  /** The same attempt, later, without taking a lane now. */
  private async putOff(job: QueuedDelivery, ms: number): Promise<void> {
    await this.deps.queue.later(job.data, new Date(Date.now() + ms));
    await this.deps.queue.complete([job.id]);
  }

  /** Makes one attempt, in flight since `began` in the lane it was given; then starts the next in the endpoint's line, if any. */
  private async attempt({ job, webhook, message }: Ready, began: number): Promise<void> {
    try {
      const result = await postSigned(webhook, message, this.deps.settings);
      this.finished.add(job.id, job.data, message.type, result);
    } finally {
      const now = Date.now();
      this.lanes.finish(webhook.id, began, now);
      // While stopping, stop() hands the line back to the queue.
      const next = this.stopped ? undefined : this.lanes.startNext(webhook.id, now);
      if (next) this.track(this.attempt(next, now));
      this.laneFreed();
    }
  }
}
