/** How feeds reach their sources (FEED_* in server/config.ts), built once by the composition root. */
export interface FeedSettings {
  /** Sources on loopback or private networks are called too (FEED_ALLOW_PRIVATE_NETWORKS). */
  allowPrivateNetworks: boolean;
  /** A source that sends nothing for this long has stalled (FEED_TIMEOUT_MS). */
  timeoutMs: number;
  /** Milliseconds before the second and third tries (FEED_RETRY_DELAYS). */
  retryDelaysMs: number[];
  /** The largest file a feed takes, as an upload (MAX_UPLOAD_BYTES). */
  maxBytes: number;
}

export const FEED_RULE = { what: "feeds may only fetch from", setting: "FEED_ALLOW_PRIVATE_NETWORKS" };

/** Tries of one run at most, and the span they all start within. */
export const MAX_TRIES = 3;
export const TRIES_WITHIN_MS = 60_000;
