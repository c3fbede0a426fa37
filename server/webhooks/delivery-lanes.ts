/**
 * Requests in flight per process, all endpoints together: more than the endpoints' caps usually
 * add up to, so an endpoint that hangs (holding its whole cap) leaves the others all the lanes
 * they can use. Measured (bench:webhooks, 5 endpoints at 8 each plus one that hangs, before the
 * lines): 32 lanes slowed the healthy five 1.31×, 64 lanes 1.05×. With the lines the five run
 * ~550 deliveries/s, and products.list's p95 meanwhile is 45–72 ms (27 ms idle).
 */
export const LANES = 64;
/** Lanes that must be free before the next fetch (unless none is busy). */
export const FETCH_AT_LEAST = 8;
/**
 * An attempt for an endpoint already at its in-flight cap waits in that endpoint's line here,
 * holding a lane, while the endpoint answers quickly (its last answer and its oldest attempt in
 * flight both under SLOW_AFTER_MS: a slot frees up within moments) and its line is shorter than
 * LINE_LENGTH. Otherwise it is put off: briefly while the endpoint is quick, by
 * the whole timeout once one of its attempts has waited longer than SLOW_AFTER_MS (its slots free
 * up at that pace at worst), so an endpoint that hangs neither holds more lanes than its cap nor
 * has its backlog fetched and put off again and again.
 */
export const PUT_OFF_MS = 1_000;
export const SLOW_AFTER_MS = 1_000;
/** Attempts one quick endpoint may have waiting: a cap of 1 still takes a fetched batch's share without put-offs. */
export const LINE_LENGTH = 16;

/** An endpoint as the lanes see it. */
export interface LaneEndpoint {
  id: string;
  maxInFlight: number;
}

/** What becomes of a fetched attempt: made now, queued in its endpoint's line, or handed back to the queue for later. */
export type Admission = { kind: "start" } | { kind: "wait" } | { kind: "put-off"; ms: number };

/**
 * The lanes of one process's deliveries, as bookkeeping only: the caller fetches, posts and logs,
 * and says what time it is. Every attempt started or waiting holds one lane; a finished attempt's
 * lane goes to the oldest attempt in its endpoint's line, or back to the pool.
 */
export class LaneAccounting<Attempt> {
  /** When each attempt in flight to an endpoint began. */
  private readonly inFlight = new Map<string, number[]>();
  /** How long each endpoint took over its last answer (or failure). */
  private readonly lastLatencyMs = new Map<string, number>();
  /** Attempts fetched for an endpoint at its cap, oldest first. */
  private readonly lines = new Map<string, Attempt[]>();

  /** `timeoutMs`: how long one attempt may take, so how long a slow endpoint's slots may stay taken. */
  constructor(private readonly timeoutMs: number) {}

  /** Lanes taken: attempts in flight and attempts waiting in a line. */
  held(): number {
    let held = 0;
    for (const began of this.inFlight.values()) held += began.length;
    for (const line of this.lines.values()) held += line.length;
    return held;
  }

  /** How many jobs to fetch now; 0 while too few lanes are free to be worth a fetch. */
  roomToFetch(): number {
    const held = this.held();
    const free = LANES - held;
    // One fetch per few freed lanes, not per freed lane: each fetch is a round trip and a locking query.
    return free <= 0 || (free < FETCH_AT_LEAST && held > 0) ? 0 : free;
  }

  /** Decides what becomes of an attempt fetched for `endpoint` at `now`; a started one is in flight from `now`. */
  admit(endpoint: LaneEndpoint, attempt: Attempt, now: number): Admission {
    const inFlight = this.inFlight.get(endpoint.id) ?? [];
    if (inFlight.length < endpoint.maxInFlight) {
      this.inFlight.set(endpoint.id, [...inFlight, now]);
      return { kind: "start" };
    }
    const slow = now - Math.min(...inFlight) > SLOW_AFTER_MS;
    const quick = !slow && (this.lastLatencyMs.get(endpoint.id) ?? SLOW_AFTER_MS) < SLOW_AFTER_MS;
    const line = this.lines.get(endpoint.id) ?? [];
    if (quick && line.length < LINE_LENGTH) {
      this.lines.set(endpoint.id, [...line, attempt]);
      return { kind: "wait" };
    }
    return { kind: "put-off", ms: slow ? this.timeoutMs : PUT_OFF_MS };
  }

  /** The attempt to `endpointId` that began at `began` ended at `now`: its lane is free. */
  finish(endpointId: string, began: number, now: number): void {
    this.lastLatencyMs.set(endpointId, now - began);
    const inFlight = this.inFlight.get(endpointId) ?? [];
    const left = inFlight.filter((start, index) => index !== inFlight.indexOf(began));
    if (left.length === 0) this.inFlight.delete(endpointId);
    else this.inFlight.set(endpointId, left);
  }

  /** The oldest attempt in the endpoint's line, taken out of it and in flight from `now` (in the lane it held). */
  startNext(endpointId: string, now: number): Attempt | undefined {
    const line = this.lines.get(endpointId);
    const next = line?.shift();
    if (line?.length === 0) this.lines.delete(endpointId);
    if (next !== undefined) this.inFlight.set(endpointId, [...(this.inFlight.get(endpointId) ?? []), now]);
    return next;
  }

  /** Every attempt still in a line, taken out (their lanes freed): endpoint by endpoint, each line oldest first. */
  drainLines(): Attempt[] {
    const waiting = [...this.lines.values()].flat();
    this.lines.clear();
    return waiting;
  }
}
