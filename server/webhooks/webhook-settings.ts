export interface WebhookSettings {
  /** How long one attempt may take before it counts as failed. */
  timeoutMs: number;
  /** Lets endpoints on loopback and private networks be called (local development, tests). */
  allowPrivateNetworks: boolean;
  /** Seconds to wait before each retry; the attempt after the last one is the final one. */
  retryDelaysSeconds: number[];
  /** Days events and delivery attempts are kept. */
  retentionDays: number;
}

/** 30 s, 2 min, 10 min, 30 min, 1 h, 2 h, 4 h, 8 h, 8 h, then 12 h four times: fourteen attempts over about three days (as Stripe). */
export const DEFAULT_RETRY_DELAYS_SECONDS = [30, 120, 600, 1_800, 3_600, 7_200, 14_400, 28_800, 28_800, 43_200, 43_200, 43_200, 43_200];

export const describeSchedule = (delays: number[]) => {
  const total = delays.reduce((sum, delay) => sum + delay, 0);
  return total >= 3_600 ? `${Math.round(total / 3_600)} h` : total >= 60 ? `${Math.round(total / 60)} min` : `${total} s`;
};
