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
