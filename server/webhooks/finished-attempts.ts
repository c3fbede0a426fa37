import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.js";
import type { Logger } from "../logger.js";
import type { DeliveryJob } from "./delivery-queue.js";
import type { PostResult } from "./post-webhook.js";
import { webhookDeliveries, webhookDeliverySeconds, type DeliveryOutcome } from "../metrics/app-metrics.js";
import { nextStep } from "./retry-policy.js";
import { describeSchedule, type WebhookSettings } from "./webhook-settings.js";
import { firstAttemptAt, recordAttempts, switchOff, type DeliveryAttempt } from "./webhooks.table.js";

/** Finished attempts are logged together, after at most this long or this many. */
const RECORD_EVERY_MS = 50;
const RECORD_BATCH = 50;

/** What logging an attempt needs from the job queue: its job completed, its retry queued. */
export interface JobsAfterAttempt {
  complete(ids: string[]): Promise<void>;
  /** Queues `job` to be made at `at` (a retry, or an attempt put off). */
  later(job: DeliveryJob, at: Date): Promise<void>;
}

export interface FinishedAttemptsDeps {
  db: Kysely<Database>;
  queue: JobsAfterAttempt;
  log: Logger;
  settings: WebhookSettings;
}

interface Finished {
  jobId: string;
  job: DeliveryJob;
  attempt: DeliveryAttempt;
  result: PostResult;
}

/**
 * Attempts made, logged in batches: each batch in one transaction, then its retries queued, then
 * its jobs completed. A crash in between leaves the jobs to pg-boss, which hands them out again
 * (the receiver de-duplicates on webhook-id).
 */
export class FinishedAttempts {
  private readonly finished: Finished[] = [];
  private flushing: Promise<void> = Promise.resolve();
  private flushTimer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: FinishedAttemptsDeps) {}

  add(jobId: string, job: DeliveryJob, eventType: string, result: PostResult): void {
    this.finished.push({ jobId, job, result, attempt: { ...job, eventType, ...result } });
    if (this.finished.length >= RECORD_BATCH) void this.flush();
    else this.flushTimer ??= setTimeout(() => void this.flush(), RECORD_EVERY_MS);
  }

  /** Logs what has finished so far; resolves once that and every earlier batch is done. */
  flush(): Promise<void> {
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
        for (const { job, result } of batch) countAttempt(result, await afterAttempt(this.deps, job, result));
        await this.deps.queue.complete(batch.map((item) => item.jobId));
      } catch (error) {
        // Not completed: the jobs expire and are handed out again.
        this.deps.log.warn({ error: (error as Error).message, attempts: batch.length }, "logging webhook attempts failed; they will be made again");
      }
    });
    return this.flushing;
  }
}

/** This process's metrics of an attempt once it is logged (so one made again after a crash counts once more, as it was). */
function countAttempt(result: PostResult, outcome: DeliveryOutcome): void {
  webhookDeliveries.inc({ outcome });
  webhookDeliverySeconds.observe(result.latencyMs / 1000);
}

/** Queues the retry or switches the endpoint off, as the attempt's outcome asks. */
async function afterAttempt(deps: FinishedAttemptsDeps, job: DeliveryJob, result: PostResult): Promise<DeliveryOutcome> {
  const step = nextStep(result, job.attempt - (job.scheduleFrom ?? 1) + 1, deps.settings.retryDelaysSeconds);
  if (step.kind === "gone") {
    const reason = `Switched off: the receiver answered 410 Gone (it no longer wants these events). Switch it on again once it does.`;
    if (await switchOff(deps.db, job.webhookId, reason)) deps.log.warn({ webhookId: job.webhookId }, "webhook endpoint disabled: 410 Gone");
    return "gone";
  }
  if (step.kind === "done") return "delivered";
  // A Resend is one attempt; its failure is logged and retried by nobody.
  if (job.manual) return "failed";
  if (step.kind === "retry") {
    const retry: DeliveryJob = { eventId: job.eventId, webhookId: job.webhookId, attempt: job.attempt + 1, scheduleFrom: job.scheduleFrom };
    await deps.queue.later(retry, new Date(Date.now() + step.delaySeconds * 1000));
    return "retrying";
  }
  const delays = deps.settings.retryDelaysSeconds;
  const since = (await firstAttemptAt(deps.db, job.webhookId, job.eventId)) ?? new Date();
  const reason = `Switched off: ${job.attempt} attempts over ${describeSchedule(delays)} all failed (last: ${result.error ?? `HTTP ${result.statusCode}`}).`;
  if (await switchOff(deps.db, job.webhookId, reason, since)) {
    deps.log.warn({ webhookId: job.webhookId, eventId: job.eventId }, "webhook endpoint disabled after failing for too long");
  }
  return "failed";
}
