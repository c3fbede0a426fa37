import type { Kysely, Selectable } from "kysely";
import type { Database, WebhooksTable } from "../../db/schema.js";
import type { Logger } from "../logger.js";
import { findEvents } from "../events/events.table.js";
import type { DeliveryJob } from "./delivery-queue.js";
import type { PostResult } from "./post-webhook.js";
import { nextStep } from "./retry-policy.js";
import { postSigned } from "./signed-message.js";
import { describeSchedule, type WebhookSettings } from "./webhook-settings.js";
import { firstAttemptAt, recordAttempts, switchOff, type DeliveryAttempt } from "./webhooks.table.js";

/** A delivery job as the queue hands it out: its id (to complete it) and what to deliver. */
export interface QueuedDelivery {
  id: string;
  data: DeliveryJob;
}

/** What the lanes need from the job queue (pg-boss, wired in jobs/webhook-worker.ts). */
export interface DeliveryQueueOps {
  fetch(max: number): Promise<QueuedDelivery[]>;
  complete(ids: string[]): Promise<void>;
  /** Queues `job` to be made at `at` (a retry, or an attempt put off). */
  later(job: DeliveryJob, at: Date): Promise<void>;
}

export interface DeliverDeps {
  db: Kysely<Database>;
  queue: DeliveryQueueOps;
  log: Logger;
  settings: WebhookSettings;
}

/**
 * Requests in flight per process, all endpoints together: more than the endpoints' caps usually
 * add up to, so an endpoint that hangs (holding its whole cap) leaves the others all the lanes
 * they can use. Measured (bench:webhooks, 5 endpoints at 8 each plus one that hangs, before the
 * lines): 32 lanes slowed the healthy five 1.31×, 64 lanes 1.05×. With the lines the five run
 * ~550 deliveries/s, and products.list's p95 meanwhile is 45–72 ms (27 ms idle).
 */
export const LANES = 64;
/** Lanes that must be free before the next fetch (unless none is busy). */
const FETCH_AT_LEAST = 8;
/** Finished attempts are logged together, after at most this long or this many. */
const RECORD_EVERY_MS = 50;
const RECORD_BATCH = 50;
/**
 * An attempt for an endpoint already at its in-flight cap waits in that endpoint's line here,
 * holding a lane, while the endpoint answers quickly (its last answer and its oldest attempt in
 * flight both under SLOW_AFTER_MS: a slot frees up within moments) and its line is shorter than
 * LINE_LENGTH. Otherwise it is put off: briefly while the endpoint is quick, by
 * the whole timeout once one of its attempts has waited longer than SLOW_AFTER_MS (its slots free
 * up at that pace at worst), so an endpoint that hangs neither holds more lanes than its cap nor
 * has its backlog fetched and put off again and again.
 */
const PUT_OFF_MS = 1_000;
const SLOW_AFTER_MS = 1_000;
/** Attempts one quick endpoint may have waiting: a cap of 1 still takes a fetched batch's share without put-offs. */
const LINE_LENGTH = 16;

interface Message {
  id: string;
  type: string;
  createdAt: Date;
  data: unknown;
}

interface Waiting {
  job: QueuedDelivery;
  webhook: Webhook;
  message: Message;
}

type Webhook = Selectable<WebhooksTable>;

/**
 * The delivery engine of one process: takes jobs as lanes free up, never waits for a batch's
 * slowest receiver, and keeps each endpoint within its own in-flight cap, so one that times out
 * holds at most its cap of lanes and everyone else's deliveries go on. A job is completed only
 * after its attempt is logged and its retry queued: a crash in between makes pg-boss hand it out
 * again (the receiver de-duplicates on webhook-id).
 */
export class DeliveryLanes {
  /** Lanes taken: attempts in flight and attempts waiting in an endpoint's line. */
  private held = 0;
  /** When each attempt in flight to an endpoint began. */
  private readonly perEndpoint = new Map<string, number[]>();
  /** How long each endpoint took over its last answer (or failure). */
  private readonly lastLatencyMs = new Map<string, number>();
  /** Attempts fetched for an endpoint at its cap, started as its attempts finish. */
  private readonly lines = new Map<string, Waiting[]>();
  private readonly finished: { job: QueuedDelivery; attempt: DeliveryAttempt; result: PostResult }[] = [];
  private flushing: Promise<void> = Promise.resolve();
  private flushTimer: NodeJS.Timeout | undefined;
  private laneFreed: () => void = () => {};
  private wakeUp: () => void = () => {};
  private stopped = false;
  private loop: Promise<void> = Promise.resolve();
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly deps: DeliverDeps) {}

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
    const waiting = [...this.lines.values()].flat();
    this.lines.clear();
    for (const { job } of waiting) await this.putOff(job, 0);
    await Promise.all(this.running);
    await this.flush();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const free = LANES - this.held;
      // One fetch per few freed lanes, not per freed lane: each fetch is a round trip and a locking query.
      if (free <= 0 || (free < FETCH_AT_LEAST && this.held > 0)) {
        await new Promise<void>((resolve) => (this.laneFreed = resolve));
        continue;
      }
      let fetched: QueuedDelivery[] = [];
      try {
        fetched = await this.deps.queue.fetch(free);
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
      this.deps.db
        .selectFrom("webhooks")
        .selectAll()
        .where("id", "in", [...new Set(jobs.map((job) => job.data.webhookId))])
        .execute(),
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
      const inFlight = this.perEndpoint.get(webhook.id) ?? [];
      if (inFlight.length < webhook.max_in_flight) {
        this.held += 1;
        this.track(this.attempt(job, webhook, message));
        continue;
      }
      const slow = Date.now() - Math.min(...inFlight) > SLOW_AFTER_MS;
      const quick = !slow && (this.lastLatencyMs.get(webhook.id) ?? SLOW_AFTER_MS) < SLOW_AFTER_MS;
      const line = this.lines.get(webhook.id) ?? [];
      if (quick && line.length < LINE_LENGTH) {
        this.held += 1;
        this.lines.set(webhook.id, [...line, { job, webhook, message }]);
        continue;
      }
      await this.putOff(job, slow ? this.deps.settings.timeoutMs : PUT_OFF_MS);
    }
    if (nothingToDo.length > 0) await this.deps.queue.complete(nothingToDo);
  }

  private track(work: Promise<void>) {
    const settled = work.finally(() => this.running.delete(settled));
    this.running.add(settled);
  }

  /** The endpoint is at its cap: the same attempt, later, without taking a lane now. */
  private async putOff(job: QueuedDelivery, ms: number): Promise<void> {
    await this.deps.queue.later(job.data, new Date(Date.now() + ms));
    await this.deps.queue.complete([job.id]);
  }

  /** Makes one attempt in the lane the caller took for it; then starts the next in the endpoint's line, if any. */
  private async attempt(job: QueuedDelivery, webhook: Webhook, message: Message): Promise<void> {
    const began = Date.now();
    this.perEndpoint.set(webhook.id, [...(this.perEndpoint.get(webhook.id) ?? []), began]);
    try {
      const result = await postSigned(webhook, message, this.deps.settings);
      this.finished.push({ job, result, attempt: { ...job.data, eventType: message.type, ...result } });
      if (this.finished.length >= RECORD_BATCH) void this.flush();
      else this.flushTimer ??= setTimeout(() => void this.flush(), RECORD_EVERY_MS);
    } finally {
      this.lastLatencyMs.set(webhook.id, Date.now() - began);
      const left = (this.perEndpoint.get(webhook.id) ?? []).filter((start, index, all) => index !== all.indexOf(began));
      if (left.length === 0) this.perEndpoint.delete(webhook.id);
      else this.perEndpoint.set(webhook.id, left);
      // While stopping, stop() hands the line back to the queue.
      const next = this.stopped ? undefined : this.lines.get(webhook.id)?.shift();
      if (this.lines.get(webhook.id)?.length === 0) this.lines.delete(webhook.id);
      if (next) this.track(this.attempt(next.job, next.webhook, next.message));
      this.held -= 1;
      this.laneFreed();
    }
  }

  /** Logs the finished attempts in one transaction, queues their retries, then completes their jobs. */
  private flush(): Promise<void> {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.flushing = this.flushing.then(async () => {
      const batch = this.finished.splice(0);
      if (batch.length === 0) return;
      try {
        await recordAttempts(
          this.deps.db,
          batch.map((item) => item.attempt),
        );
        for (const { job, result } of batch) await afterAttempt(this.deps, job.data, result);
        await this.deps.queue.complete(batch.map((item) => item.job.id));
      } catch (error) {
        // Not completed: the jobs expire and are handed out again.
        this.deps.log.warn({ error: (error as Error).message, attempts: batch.length }, "logging webhook attempts failed; they will be made again");
      }
    });
    return this.flushing;
  }
}

async function afterAttempt(deps: DeliverDeps, job: DeliveryJob, result: PostResult): Promise<void> {
  const step = nextStep(result, job.attempt - (job.scheduleFrom ?? 1) + 1, deps.settings.retryDelaysSeconds);
  if (step.kind === "gone") {
    const reason = `Switched off: the receiver answered 410 Gone (it no longer wants these events). Switch it on again once it does.`;
    if (await switchOff(deps.db, job.webhookId, reason)) deps.log.warn({ webhookId: job.webhookId }, "webhook endpoint disabled: 410 Gone");
    return;
  }
  // A Resend is one attempt; its failure is logged and retried by nobody.
  if (step.kind === "done" || job.manual) return;
  if (step.kind === "retry") {
    const retry: DeliveryJob = { eventId: job.eventId, webhookId: job.webhookId, attempt: job.attempt + 1, scheduleFrom: job.scheduleFrom };
    await deps.queue.later(retry, new Date(Date.now() + step.delaySeconds * 1000));
    return;
  }
  const delays = deps.settings.retryDelaysSeconds;
  const since = (await firstAttemptAt(deps.db, job.webhookId, job.eventId)) ?? new Date();
  const reason = `Switched off: ${job.attempt} attempts over ${describeSchedule(delays)} all failed (last: ${result.error ?? `HTTP ${result.statusCode}`}).`;
  if (await switchOff(deps.db, job.webhookId, reason, since)) {
    deps.log.warn({ webhookId: job.webhookId, eventId: job.eventId }, "webhook endpoint disabled after failing for too long");
  }
}
