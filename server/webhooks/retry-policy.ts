/** What the next step reads of an attempt's outcome (post-webhook.ts's PostResult has these and more). */
interface AttemptOutcome {
  ok: boolean;
  statusCode: number | null;
  retryAfterSeconds: number | null;
}

/** What happens after an attempt: nothing more, another attempt later, or the endpoint switched off. */
export type NextStep = { kind: "done" } | { kind: "retry"; delaySeconds: number } | { kind: "give-up" } | { kind: "gone" };

/** Retries go up to this share later than the schedule says, so endpoints that failed together do not all come back at once. */
export const RETRY_JITTER = 0.1;

/** Answers that ask for a later retry; their Retry-After is honoured. */
const ASK_LATER = new Set([429, 503]);

/**
 * Seconds a Retry-After header asks for: a number of seconds or an HTTP date. Garbage, or a date
 * already past, gives null (the schedule applies).
 */
export function retryAfterSeconds(header: string | undefined, now = Date.now()): number | null {
  const value = header?.trim();
  if (!value) return null;
  if (/^\d+$/.test(value)) return Number(value);
  const at = /[a-z]/i.test(value) ? Date.parse(value) : Number.NaN;
  return Number.isNaN(at) || at <= now ? null : Math.ceil((at - now) / 1000);
}

/** After attempt `attempt` (1-based) of a delivery with this retry schedule. */
export function nextStep(result: AttemptOutcome, attempt: number, delays: number[], random = Math.random): NextStep {
  if (result.ok) return { kind: "done" };
  if (result.statusCode === 410) return { kind: "gone" };
  if (attempt > delays.length) return { kind: "give-up" };
  const longest = Math.max(...delays);
  if (result.statusCode !== null && ASK_LATER.has(result.statusCode) && result.retryAfterSeconds !== null) {
    return { kind: "retry", delaySeconds: Math.max(1, Math.min(result.retryAfterSeconds, longest)) };
  }
  return { kind: "retry", delaySeconds: delays[attempt - 1]! * (1 + random() * RETRY_JITTER) };
}
