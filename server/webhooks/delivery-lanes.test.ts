import { describe, expect, it } from "vitest";
import { FETCH_AT_LEAST, LANES, LINE_LENGTH, LaneAccounting, PUT_OFF_MS, SLOW_AFTER_MS, type LaneEndpoint } from "./delivery-lanes.js";

const TIMEOUT_MS = 8_000;
const quick: LaneEndpoint = { id: "quick", maxInFlight: 2 };
const other: LaneEndpoint = { id: "other", maxInFlight: 2 };

/** Lanes where `endpoint` has already answered once within `latencyMs`, so it counts as quick (or not). */
function lanesAfterOneAnswer(endpoint: LaneEndpoint, latencyMs: number) {
  const lanes = new LaneAccounting<string>(TIMEOUT_MS);
  lanes.admit(endpoint, "warm-up", 0);
  lanes.finish(endpoint.id, 0, latencyMs);
  return lanes;
}

/** Admits `count` attempts for `endpoint` at `now`, named `${prefix}-1` …, and returns what became of each. */
function admitMany(lanes: LaneAccounting<string>, endpoint: LaneEndpoint, count: number, now: number, prefix = endpoint.id) {
  return Array.from({ length: count }, (_, index) => lanes.admit(endpoint, `${prefix}-${index + 1}`, now).kind);
}

describe("an endpoint's in-flight cap", () => {
  it("starts attempts up to the cap and no further", () => {
    const lanes = lanesAfterOneAnswer(quick, 20);
    expect(admitMany(lanes, quick, 3, 100)).toEqual(["start", "start", "wait"]);
  });

  it("is per endpoint: another endpoint starts its own while the first is at its cap", () => {
    const lanes = lanesAfterOneAnswer(quick, 20);
    admitMany(lanes, quick, 2, 100);
    expect(admitMany(lanes, other, 2, 100)).toEqual(["start", "start"]);
  });

  it("is read from the endpoint each time, so a raised cap starts more at once", () => {
    const lanes = lanesAfterOneAnswer(quick, 20);
    admitMany(lanes, quick, 2, 100);
    expect(lanes.admit({ ...quick, maxInFlight: 3 }, "raised", 100).kind).toBe("start");
  });
});

describe("an attempt over the cap", () => {
  it("waits in the endpoint's line while the endpoint answers quickly, holding a lane", () => {
    const lanes = lanesAfterOneAnswer(quick, 20);
    admitMany(lanes, quick, 2, 100);
    expect(lanes.admit(quick, "over", 100)).toEqual({ kind: "wait" });
    expect(lanes.held()).toBe(3);
  });

  it("is put off briefly once the line is full", () => {
    const lanes = lanesAfterOneAnswer(quick, 20);
    const kinds = admitMany(lanes, quick, 2 + LINE_LENGTH, 100);
    expect(kinds.filter((kind) => kind === "wait")).toHaveLength(LINE_LENGTH);
    expect(lanes.admit(quick, "one too many", 100)).toEqual({ kind: "put-off", ms: PUT_OFF_MS });
    expect(lanes.held()).toBe(2 + LINE_LENGTH);
  });

  it("is put off briefly, not lined up, for an endpoint that has not answered yet", () => {
    const lanes = new LaneAccounting<string>(TIMEOUT_MS);
    admitMany(lanes, quick, 2, 0);
    expect(lanes.admit(quick, "over", 10)).toEqual({ kind: "put-off", ms: PUT_OFF_MS });
  });

  it("is put off briefly for an endpoint whose last answer took a second or more", () => {
    const lanes = lanesAfterOneAnswer(quick, SLOW_AFTER_MS);
    admitMany(lanes, quick, 2, 2_000);
    expect(lanes.admit(quick, "over", 2_010)).toEqual({ kind: "put-off", ms: PUT_OFF_MS });
  });

  it("is put off by the whole timeout once an attempt in flight has waited longer than a second", () => {
    const lanes = lanesAfterOneAnswer(quick, 20);
    admitMany(lanes, quick, 2, 100);
    expect(lanes.admit(quick, "over", 100 + SLOW_AFTER_MS)).toEqual({ kind: "wait" });
    expect(lanes.admit(quick, "over", 101 + SLOW_AFTER_MS)).toEqual({ kind: "put-off", ms: TIMEOUT_MS });
  });
});

describe("a finished attempt", () => {
  it("hands its lane to the oldest attempt in its endpoint's line, which is then in flight", () => {
    const lanes = lanesAfterOneAnswer(quick, 20);
    admitMany(lanes, quick, 5, 100);
    lanes.finish(quick.id, 100, 130);
    expect(lanes.startNext(quick.id, 130)).toBe("quick-3");
    expect(lanes.held()).toBe(4);
    // Back at the cap: the next fetched attempt waits behind the two still lined up.
    expect(lanes.admit(quick, "quick-6", 130).kind).toBe("wait");
  });

  it("keeps the endpoint's order: its line starts in the order it was fetched", () => {
    const lanes = lanesAfterOneAnswer({ ...quick, maxInFlight: 1 }, 20);
    admitMany(lanes, { ...quick, maxInFlight: 1 }, 4, 100);
    const started: (string | undefined)[] = [];
    for (let now = 110, began = 100; started.length < 3; began = now, now += 10) {
      lanes.finish(quick.id, began, now);
      started.push(lanes.startNext(quick.id, now));
    }
    expect(started).toEqual(["quick-2", "quick-3", "quick-4"]);
    lanes.finish(quick.id, 130, 140);
    expect(lanes.startNext(quick.id, 140)).toBeUndefined();
    expect(lanes.held()).toBe(0);
  });

  it("frees its slot, so the endpoint starts a new attempt at once when nothing is lined up", () => {
    const lanes = lanesAfterOneAnswer(quick, 20);
    admitMany(lanes, quick, 2, 100);
    lanes.finish(quick.id, 100, 150);
    expect(lanes.startNext(quick.id, 150)).toBeUndefined();
    expect(lanes.admit(quick, "after", 150).kind).toBe("start");
  });

  it("frees the slot of the attempt that began when it did, not another", () => {
    const lanes = lanesAfterOneAnswer(quick, 20);
    lanes.admit(quick, "early", 100);
    lanes.admit(quick, "late", 900);
    lanes.finish(quick.id, 900, 950);
    // The attempt still in flight began at 100: at 1,150 it has waited over a second, so the endpoint counts as slow.
    lanes.admit(quick, "refill", 950);
    expect(lanes.admit(quick, "over", 100 + SLOW_AFTER_MS + 50)).toEqual({ kind: "put-off", ms: TIMEOUT_MS });
  });

  it("makes its endpoint count as slow when it took a second or more", () => {
    const lanes = lanesAfterOneAnswer(quick, 20);
    admitMany(lanes, quick, 2, 100);
    lanes.finish(quick.id, 100, 100 + SLOW_AFTER_MS);
    lanes.admit(quick, "refill", 100 + SLOW_AFTER_MS);
    expect(lanes.admit(quick, "over", 100 + SLOW_AFTER_MS)).toEqual({ kind: "put-off", ms: PUT_OFF_MS });
  });
});

describe("the lanes of the whole process", () => {
  it("fetch as many jobs as there are lanes when none is busy", () => {
    expect(new LaneAccounting<string>(TIMEOUT_MS).roomToFetch()).toBe(LANES);
  });

  it("count attempts in flight and lined up, across endpoints", () => {
    const lanes = lanesAfterOneAnswer(quick, 20);
    admitMany(lanes, quick, 5, 100);
    admitMany(lanes, other, 1, 100);
    expect(lanes.held()).toBe(6);
    expect(lanes.roomToFetch()).toBe(LANES - 6);
  });

  it("fetch nothing once every lane is taken, and again only when enough lanes are free", () => {
    const lanes = new LaneAccounting<string>(TIMEOUT_MS);
    const endpoints = Array.from({ length: LANES / 4 }, (_, index) => ({ id: `endpoint-${index}`, maxInFlight: 4 }));
    for (const endpoint of endpoints) expect(admitMany(lanes, endpoint, 4, 100)).toEqual(["start", "start", "start", "start"]);
    expect(lanes.held()).toBe(LANES);
    expect(lanes.roomToFetch()).toBe(0);

    const freed = endpoints.flatMap((endpoint) => [endpoint, endpoint]).slice(0, FETCH_AT_LEAST);
    for (const [index, endpoint] of freed.entries()) {
      lanes.finish(endpoint.id, 100, 150);
      expect(lanes.roomToFetch()).toBe(index + 1 < FETCH_AT_LEAST ? 0 : FETCH_AT_LEAST);
    }
  });

  it("hand back every lined-up attempt when asked, endpoint by endpoint in order, freeing their lanes", () => {
    const lanes = lanesAfterOneAnswer(quick, 20);
    lanes.admit(other, "other-warm-up", 0);
    lanes.finish(other.id, 0, 20);
    admitMany(lanes, quick, 4, 100);
    admitMany(lanes, other, 3, 100);
    expect(lanes.drainLines()).toEqual(["quick-3", "quick-4", "other-3"]);
    expect(lanes.held()).toBe(4);
    lanes.finish(quick.id, 100, 130);
    expect(lanes.startNext(quick.id, 130)).toBeUndefined();
  });
});
