import { z } from "zod";

const flag = z
  .enum(["0", "1", "true", "false", ""])
  .optional()
  .transform((value) => value === "1" || value === "true");

/** 30 s, 2 min, 10 min, 30 min, 1 h, 2 h, 4 h, 8 h, 8 h, then 12 h four times: fourteen attempts over about three days (as Stripe). */
const DEFAULT_RETRY_DELAYS_SECONDS = [30, 120, 600, 1_800, 3_600, 7_200, 14_400, 28_800, 28_800, 43_200, 43_200, 43_200, 43_200];

const configSchema = z.object({
  NODE_ENV: z.string().default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  DATABASE_URL: z.string().url().optional(),
  DATA_DIR: z.string().default(".data"),
  ROLE: z.enum(["all", "web", "worker"]).default("all"),
  MAX_UPLOAD_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(1024 ** 3),
  /** How long a failed or cancelled import keeps its staged rows for a retry. */
  STAGED_ROWS_RETENTION_HOURS: z.coerce.number().positive().default(168),
  /** Connections this process's queries may hold (pg-boss adds 4 and progress streams 1). */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(4).max(200).default(12),
  /** Uploads one process receives at once; each holds a connection while it streams. Default: a third of the pool. */
  MAX_CONCURRENT_UPLOADS: z.coerce.number().int().positive().optional(),
  /** An upload that sends nothing for this long is failed, and its slot and connection freed. */
  UPLOAD_IDLE_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
  /**
   * An upload that averages less than this over UPLOAD_RATE_WINDOW_MS is failed, and its slot and
   * connection freed: a byte now and then is not silence, yet holds the slot as long. 0: no minimum.
   */
  UPLOAD_MIN_BYTES_PER_SECOND: z.coerce
    .number()
    .int()
    .min(0)
    .default(10 * 1024),
  /** The span an upload's rate is averaged over; no upload is judged before its first one has passed. */
  UPLOAD_RATE_WINDOW_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  /**
   * Every request but an upload must have arrived whole (its headers, and then its body) within this
   * long, or it is answered 408 and its connection closed. Answers are not timed: progress streams
   * and exports run as long as they need.
   */
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  /** Exports one process streams at once; each holds a connection. Default: a quarter of the pool. */
  MAX_CONCURRENT_EXPORTS: z.coerce.number().int().positive().optional(),
  /** A large CSV upload is parsed and validated in a worker thread; 0 parses it on the request thread. */
  PARSE_IN_WORKER: z
    .enum(["0", "1", "true", "false", ""])
    .optional()
    .transform((value) => value !== "0" && value !== "false"),
  /** An export whose client reads nothing for this long is ended, and its connection freed. */
  EXPORT_STALL_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  /** The ISO 4217 code every price in the catalog is in, shown wherever a price is. */
  CURRENCY: z
    .string()
    .default("USD")
    .transform((value) => value.trim().toUpperCase())
    .refine((code) => Intl.supportedValuesOf("currency").includes(code), "must be an ISO 4217 currency code, such as USD, EUR or GBP"),
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: flag,
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /** Events and delivery attempts older than this many days are pruned; a recovery reaches back at most this far. */
  WEBHOOK_RETENTION_DAYS: z.coerce.number().positive().max(3_650).default(30),
  /** Seconds before each retry of a failed delivery, comma-separated; unset = the default schedule. */
  WEBHOOK_RETRY_DELAYS: z
    .string()
    .regex(/^\s*(\d+\s*(,\s*\d+\s*)*)?$/, "must be seconds separated by commas, e.g. 30,120,600")
    .optional()
    .transform((value) => (value?.trim() ? value.split(",").map((part) => Number(part.trim())) : DEFAULT_RETRY_DELAYS_SECONDS)),
  /** Feed sources on loopback or a private network are refused unless this is set (the webhook rule). */
  FEED_ALLOW_PRIVATE_NETWORKS: flag,
  /** A feed's source that sends nothing for this long (connecting, answering, or mid-file) has stalled. */
  FEED_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
  /** Seconds before a feed's second and third tries; all three stay within a minute. */
  FEED_RETRY_DELAYS: z
    .string()
    .regex(/^\s*\d+(\.\d+)?\s*(,\s*\d+(\.\d+)?\s*)?$/, "must be one or two delays in seconds, e.g. 3,9")
    .optional()
    .transform((value) => (value?.trim() ? value.split(",").map((part) => Number(part.trim())) : [3, 9])),
  /** Set: every page and API call needs a session or `Authorization: Bearer <APP_PASSWORD>`. */
  APP_PASSWORD: z
    .string()
    .optional()
    .transform((value) => (value ? value : undefined)),
  /**
   * Without a password, the host names (besides localhost and IP addresses) the app answers to:
   * a page elsewhere cannot point its own name at this machine (DNS rebinding) and use it.
   */
  ALLOWED_HOSTS: z
    .string()
    .default("")
    .transform((value) =>
      value
        .split(",")
        .map((host) => host.trim().toLowerCase())
        .filter(Boolean),
    ),
  /** Production without APP_PASSWORD refuses to start unless this says an open app is intended. */
  AUTH_DISABLED: flag,
  /**
   * A scraper's bearer token for GET /metrics alone (nothing else accepts it). Set, /metrics needs
   * a credential even when the app has no password.
   */
  METRICS_TOKEN: z
    .string()
    .optional()
    .transform((value) => (value?.trim() ? value.trim() : undefined))
    .pipe(z.string().min(16, "must be at least 16 characters").optional()),
  /** Signs session cookies instead of the installation's own secret combined with APP_PASSWORD. */
  SESSION_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  SESSION_MAX_AGE_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 365)
    .default(168),
  /**
   * Which proxies' X-Forwarded-* headers to believe (Express "trust proxy"): the client's address
   * (counted for wrong passwords), https, and the host the browser asked for. Unset: none, since
   * any local page can send those headers and they would vouch for nothing.
   */
  TRUST_PROXY: z
    .string()
    .optional()
    .transform((value): boolean | number | string =>
      value === undefined || value === "false" ? false : value === "true" ? true : /^\d+$/.test(value) ? Number(value) : value,
    ),
  /** How long SIGTERM waits for running work before handing it back to the queue. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(8_000),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
});

/** Defaults that depend on other settings. */
const withDerivedDefaults = configSchema.transform((config) => ({
  ...config,
  // The rest of the pool stays free for pages and the API while uploads and exports stream.
  MAX_CONCURRENT_UPLOADS: config.MAX_CONCURRENT_UPLOADS ?? Math.max(1, Math.floor(config.DATABASE_POOL_SIZE / 3)),
  MAX_CONCURRENT_EXPORTS: config.MAX_CONCURRENT_EXPORTS ?? Math.max(1, Math.floor(config.DATABASE_POOL_SIZE / 4)),
}));

export type Config = z.infer<typeof withDerivedDefaults>;

/** Reads the environment once; the rest of the code receives typed values. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // `DATABASE_URL=` in an environment file means "not set", not "set to nothing".
  const given = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ""));
  const parsed = withDerivedDefaults.safeParse(given);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new StartupRefused(`Invalid configuration: ${problems.join("; ")}`);
  }
  return parsed.data;
}

/** A setting stops the start: the message is the whole story for the operator. */
export class StartupRefused extends Error {}

/**
 * GET /metrics without a credential: only where the app is open on purpose (no password outside
 * production, or AUTH_DISABLED=1) and no METRICS_TOKEN asks for one. A production worker started
 * without a password keeps its metrics closed until it is given METRICS_TOKEN or APP_PASSWORD.
 */
export const metricsOpenWithoutCredential = (config: Config) =>
  !config.APP_PASSWORD && !config.METRICS_TOKEN && (config.NODE_ENV !== "production" || config.AUTH_DISABLED);

/** An app reachable by anyone must be a decision, not an omission. */
export function checkAccessConfig(config: Config): { warning?: string } {
  // A worker answers /healthz and /metrics (closed unless metricsOpenWithoutCredential): nothing else to protect.
  if (config.ROLE === "worker") return {};
  if (config.APP_PASSWORD) {
    return config.AUTH_DISABLED ? { warning: "AUTH_DISABLED=1 is ignored because APP_PASSWORD is set: the password is required." } : {};
  }
  if (config.AUTH_DISABLED) {
    return { warning: "Authentication is disabled (AUTH_DISABLED=1): anyone who can reach this server can read and change the catalog." };
  }
  if (config.NODE_ENV === "production") {
    throw new StartupRefused(
      "Refusing to start: NODE_ENV=production and APP_PASSWORD is not set, so anyone could reach the catalog. " +
        "Set APP_PASSWORD, or set AUTH_DISABLED=1 if something in front of this app already controls access.",
    );
  }
  return {};
}
