/** One job queue as /metrics shows it (read by jobs/job-queue.ts, which knows pg-boss's tables). */
export interface QueueFigures {
  queue: string;
  /** Jobs not yet taken: due now, waiting for a retry, or put off. */
  waiting: number;
  active: number;
  /** How long the oldest job that is due has waited for a worker; 0 when none is due. */
  oldestDueSeconds: number;
}
