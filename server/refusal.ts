/**
 * What a refusal is about, and how HTTP and tRPC say it. The one mapping every answer uses: tRPC
 * procedures (trpc.ts), the plain routes (sendRefusal) and the pages' loaders.
 */
export const REFUSALS = {
  invalid: { status: 400, trpc: "BAD_REQUEST" },
  unauthorized: { status: 401, trpc: "UNAUTHORIZED" },
  forbidden: { status: 403, trpc: "FORBIDDEN" },
  not_found: { status: 404, trpc: "NOT_FOUND" },
  timeout: { status: 408, trpc: "TIMEOUT" },
  conflict: { status: 409, trpc: "CONFLICT" },
  too_large: { status: 413, trpc: "PAYLOAD_TOO_LARGE" },
  too_many: { status: 429, trpc: "TOO_MANY_REQUESTS" },
  /** The client went away before it finished sending: there is nobody to answer. */
  gone: { status: 499, trpc: "CLIENT_CLOSED_REQUEST" },
  busy: { status: 503, trpc: "SERVICE_UNAVAILABLE" },
} as const;

export type RefusalKind = keyof typeof REFUSALS;

export interface RefusalDetails {
  /** The form field the message belongs next to. */
  field?: string;
  /** Seconds after which trying again makes sense (`Retry-After`). */
  retryAfterSeconds?: number;
  /** Extra members of a plain route's JSON answer (the import a failed upload created, say). */
  extra?: Record<string, unknown>;
  cause?: unknown;
}

/**
 * A request the domain turns down, with a message for the person who made it. Anything else
 * thrown is a server fault: answered 500 with a generic message and logged.
 */
export class Refusal extends Error {
  readonly field?: string;
  readonly retryAfterSeconds?: number;
  readonly extra?: Record<string, unknown>;

  constructor(
    readonly kind: RefusalKind,
    message: string,
    details: RefusalDetails = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.field = details.field;
    this.retryAfterSeconds = details.retryAfterSeconds;
    this.extra = details.extra;
  }

  get status(): number {
    return REFUSALS[this.kind].status;
  }

  /** The same refusal with more members for a plain route's answer. */
  with(extra: Record<string, unknown>): Refusal {
    return new Refusal(this.kind, this.message, {
      field: this.field,
      retryAfterSeconds: this.retryAfterSeconds,
      extra: { ...this.extra, ...extra },
      cause: this.cause,
    });
  }
}

export const SERVER_FAULT_MESSAGE = "Something went wrong on our side; try again.";

/** A plain route's answer to a refusal: `{ "error": message, ...extra }` with its status. */
export function sendRefusal(res: import("express").Response, refusal: Refusal): void {
  if (refusal.retryAfterSeconds !== undefined) res.set("Retry-After", String(refusal.retryAfterSeconds));
  res.status(refusal.status).json({ error: refusal.message, ...refusal.extra });
}
