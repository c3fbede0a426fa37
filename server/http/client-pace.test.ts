import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { IncomingMessage } from "node:http";
import { whenClientSendsTooSlowly } from "./client-pace.js";

/** What the watch reads of a request: the bytes its socket has read, what waits unread, whether it is all in. */
function request() {
  const req = { socket: { bytesRead: 0 }, readableLength: 0, complete: false };
  return { req, asMessage: req as unknown as IncomingMessage };
}

const RATE = { bytesPerSecond: 1_000, windowMs: 10_000 };

describe("the minimum pace of a client sending a body", () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  /** Lets `ms` pass, the client sending `bytesPerSecond` meanwhile. */
  function send(req: ReturnType<typeof request>["req"], ms: number, bytesPerSecond: number) {
    for (let t = 0; t < ms; t += 100) {
      req.socket.bytesRead += bytesPerSecond / 10;
      vi.advanceTimersByTime(100);
    }
  }

  it("is not judged before a whole window has passed", () => {
    const { req, asMessage } = request();
    const tooSlow = vi.fn();
    whenClientSendsTooSlowly(asMessage, RATE, tooSlow);
    send(req, 9_000, 10);
    expect(tooSlow).not.toHaveBeenCalled();
    send(req, 2_000, 10);
    expect(tooSlow).toHaveBeenCalledOnce();
    expect(tooSlow.mock.calls[0]![0], "the bytes of one window").toBeCloseTo(100, -1);
  });

  it("leaves silence to the idle timeout", () => {
    const { req, asMessage } = request();
    const tooSlow = vi.fn();
    whenClientSendsTooSlowly(asMessage, RATE, tooSlow);
    send(req, 60_000, 0);
    expect(tooSlow).not.toHaveBeenCalled();
  });

  it("leaves a client alone that keeps the pace, however long it takes", () => {
    const { req, asMessage } = request();
    const tooSlow = vi.fn();
    whenClientSendsTooSlowly(asMessage, RATE, tooSlow);
    send(req, 120_000, 1_200);
    expect(tooSlow).not.toHaveBeenCalled();
  });

  it("judges the last window only: a fast start does not buy a trickle afterwards", () => {
    const { req, asMessage } = request();
    const tooSlow = vi.fn();
    whenClientSendsTooSlowly(asMessage, RATE, tooSlow);
    send(req, 10_000, 100_000);
    send(req, 12_000, 10);
    expect(tooSlow).toHaveBeenCalledOnce();
    expect(tooSlow.mock.calls[0]![0], "the window holds the trickle only").toBeLessThan(200);
  });

  it("starts over while bytes wait for this side to read them: that pace is ours", () => {
    const { req, asMessage } = request();
    const tooSlow = vi.fn();
    whenClientSendsTooSlowly(asMessage, RATE, tooSlow);
    req.readableLength = 64 * 1024;
    send(req, 30_000, 10);
    req.readableLength = 0;
    send(req, 9_000, 10);
    expect(tooSlow).not.toHaveBeenCalled();
    send(req, 2_000, 10);
    expect(tooSlow).toHaveBeenCalledOnce();
  });

  it("stops once the body is all in, and can be turned off", () => {
    const { req, asMessage } = request();
    const tooSlow = vi.fn();
    whenClientSendsTooSlowly(asMessage, RATE, tooSlow);
    req.complete = true;
    send(req, 60_000, 10);
    const off = request();
    whenClientSendsTooSlowly(off.asMessage, { ...RATE, bytesPerSecond: 0 }, tooSlow);
    send(off.req, 60_000, 10);
    expect(tooSlow).not.toHaveBeenCalled();
  });
});
