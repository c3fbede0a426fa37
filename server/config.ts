import { z } from "zod";

const flag = z
  .enum(["0", "1", "true", "false", ""])
  .optional()
  .transform((value) => value === "1" || value === "true");

const configSchema = z.object({
  NODE_ENV: z.string().default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  DATABASE_URL: z.string().url().optional(),
  DATA_DIR: z.string().default(".data"),
  ROLE: z.enum(["all", "web", "worker"]).default("all"),
  MAX_UPLOAD_BYTES: z.coerce.number().int().positive().default(1024 ** 3),
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: flag,
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /** Seconds before each retry of a failed delivery, comma-separated; empty = the default schedule. */
  WEBHOOK_RETRY_DELAYS: z
    .string()
    .regex(/^\s*(\d+\s*(,\s*\d+\s*)*)?$/, "must be seconds separated by commas, e.g. 30,120,600")
    .optional()
    .transform((value) => (value?.trim() ? value.split(",").map((part) => Number(part.trim())) : undefined)),
  APP_PASSWORD: z.string().optional(),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
});

export type Config = z.infer<typeof configSchema>;

/** Reads the environment once; the rest of the code receives typed values. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid configuration: ${problems.join("; ")}`);
  }
  return parsed.data;
}
