import { describe, expect, it } from "vitest";
import { loggedHeaders, MASKED } from "../../server/webhooks/logged-headers.js";
import type { PostResult } from "../../server/webhooks/post-webhook.js";
import { nextStep, RETRY_JITTER, retryAfterSeconds } from "../../server/webhooks/retry-policy.js";

const answer = (statusCode: number | null, retryAfter: number | null = null): PostResult => ({
  ok: statusCode !== null && statusCode < 300,
  statusCode,
  latencyMs: 5,
  error: statusCode === null ? "Connection refused" : `HTTP ${statusCode}`,
  responseBody: null,
  requestHeaders: {},
  responseHeaders: null,
  retryAfterSeconds: retryAfter,
});
const DELAYS = [30, 120, 600];

describe("Retry-After", () => {
  const now = Date.parse("2026-12-02T10:00:00Z");
  it("reads seconds and HTTP dates, and ignores garbage and dates already past", () => {
    expect(retryAfterSeconds("120", now)).toBe(120);
    expect(retryAfterSeconds(" 0 ", now)).toBe(0);
    expect(retryAfterSeconds("Wed, 02 Dec 2026 10:01:30 GMT", now)).toBe(90);
    expect(retryAfterSeconds("Wed, 02 Dec 2026 09:00:00 GMT", now)).toBeNull();
    expect(retryAfterSeconds("soon", now)).toBeNull();
    expect(retryAfterSeconds("-5", now)).toBeNull();
    expect(retryAfterSeconds("1.5", now)).toBeNull();
    expect(retryAfterSeconds(undefined, now)).toBeNull();
  });
});

describe("after an attempt", () => {
  it("stops on success, switches off on 410, gives up after the last retry", () => {
    expect(nextStep(answer(204), 1, DELAYS)).toEqual({ kind: "done" });
    expect(nextStep(answer(410), 1, DELAYS)).toEqual({ kind: "gone" });
    expect(nextStep(answer(500), 4, DELAYS)).toEqual({ kind: "give-up" });
  });

  it("waits what 429 and 503 ask, at least a second and at most the schedule's longest delay", () => {
    expect(nextStep(answer(429, 45), 1, DELAYS)).toEqual({ kind: "retry", delaySeconds: 45 });
    expect(nextStep(answer(503, 0), 1, DELAYS)).toEqual({ kind: "retry", delaySeconds: 1 });
    expect(nextStep(answer(503, 3 * 86_400), 2, DELAYS)).toEqual({ kind: "retry", delaySeconds: 600 });
    // Retry-After on other answers is not an instruction.
    expect(nextStep(answer(500, 45), 1, DELAYS, () => 0)).toEqual({ kind: "retry", delaySeconds: 30 });
  });

  it("retries on the schedule plus up to a tenth more, never sooner", () => {
    const delays = Array.from({ length: 200 }, (_, i) => (nextStep(answer(null), 2, DELAYS, () => i / 200) as { delaySeconds: number }).delaySeconds);
    expect(Math.min(...delays)).toBe(120);
    expect(Math.max(...delays)).toBeLessThanOrEqual(120 * (1 + RETRY_JITTER));
    expect(new Set(delays).size).toBeGreaterThan(100);
  });
});

describe("logged headers", () => {
  it("mask credentials and keep only the start of each signature", () => {
    const logged = loggedHeaders({
      "Content-Type": "application/json",
      "webhook-signature": "v1,AAAAAAAAAAAAAAAAAAAA v1,BBBBBBBBBBBBBBBBBBBB",
      "set-cookie": "session=abc",
      Authorization: "Bearer secret",
      "X-Long": "x".repeat(2_000),
    });
    expect(logged).toMatchObject({ "content-type": "application/json", "set-cookie": MASKED, authorization: MASKED });
    expect(logged["webhook-signature"]).toBe(`v1,AAAAAA${MASKED} v1,BBBBBB${MASKED}`);
    expect(logged["x-long"]).toHaveLength(500);
  });
});
