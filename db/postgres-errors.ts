/** The Postgres error codes (SQLSTATE) the app reacts to, by what they mean. */
export const PG_ERROR = {
  uniqueViolation: "23505",
  lockNotAvailable: "55P03",
  queryCanceled: "57014",
  invalidRegularExpression: "2201B",
} as const;

/** Whether `error` is the Postgres error `code` names. */
export function isPgError(error: unknown, code: keyof typeof PG_ERROR): boolean {
  return (error as { code?: string } | null)?.code === PG_ERROR[code];
}

/**
 * Errors that say the connection to Postgres went away (restart, failover, network), not that a
 * statement was wrong: the work is worth doing again once the database is back.
 */
const LOST_CONNECTION_CODES = new Set(["57P01", "57P02", "57P03", "ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "ENOTFOUND"]);

export function isLostConnection(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  if (code && (LOST_CONNECTION_CODES.has(code) || code.startsWith("08"))) return true;
  return /Connection terminated|connection (is )?(closed|ended)|Client has encountered a connection error/i.test(message ?? "");
}
