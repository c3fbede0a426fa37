/** One attempt at delivering one event to one endpoint. */
export interface DeliveryJob {
  eventId: string;
  webhookId: string;
  attempt: number;
  /** A Resend from the deliveries view: one attempt, even to a disabled endpoint, no retries. */
  manual?: boolean;
  /** The attempt the retry schedule counts from: a recovered delivery gets the whole schedule again. */
  scheduleFrom?: number;
}

export const WEBHOOK_QUEUE = "webhooks.deliver";

/** The schema pg-boss keeps its tables in (jobs/job-queue.ts starts it there). */
export const JOB_QUEUE_SCHEMA = "pgboss";

/**
 * Where pg-boss keeps jobs until it archives them: a recovery reads it to see which deliveries are
 * still queued. pg-boss is pinned to one version.
 */
export const DELIVERY_JOB_TABLE = `${JOB_QUEUE_SCHEMA}.job`;

/**
 * pg-boss retries a job only when its worker died mid-attempt (the job expired); failed
 * deliveries are retried on our schedule as new jobs with the next attempt number.
 */
export const DELIVERY_JOB_OPTIONS = { retryLimit: 3, retryDelay: 15, expireInSeconds: 120 };
