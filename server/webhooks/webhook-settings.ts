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

export const describeSchedule = (delays: number[]) => {
  const total = delays.reduce((sum, delay) => sum + delay, 0);
  return total >= 3_600 ? `${Math.round(total / 3_600)} h` : total >= 60 ? `${Math.round(total / 60)} min` : `${total} s`;
};
