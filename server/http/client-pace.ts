import type { IncomingMessage } from "node:http";
import { checkEvery } from "./client-silence.js";

export interface MinimumRate {
  /** 0: any pace will do. */
  bytesPerSecond: number;
  /** The span the rate is averaged over; nothing is judged before the first one has passed. */
  windowMs: number;
}

/**
 * Calls `onTooSlow` with the bytes that arrived in the last `windowMs` once they average less than
 * `bytesPerSecond`: a client trickling a byte now and then is never silent, yet
 * holds what it holds as long as one that stopped. A window with nothing in it is left to the idle
 * watch (`whenClientStopsSending`), whose timeout is the one that says how long silence may last.
 * Bytes we hold back ourselves (a slow database backs the body up) start the measurement over:
 * that pace is ours, not the client's. Returns a function that stops watching.
 */
export function whenClientSendsTooSlowly(req: IncomingMessage, rate: MinimumRate, onTooSlow: (bytesInWindow: number) => void): () => void {
  if (rate.bytesPerSecond <= 0) return () => {};
  const sample = () => ({ at: Date.now(), bytes: req.socket.bytesRead });
  let samples = [sample()];
  const timer = setInterval(() => {
    // Everything arrived: what remains (staging, committing) is this side's work.
    if (req.complete) return void clearInterval(timer);
    const now = sample();
    if (req.readableLength > 0) {
      samples = [now];
      return;
    }
    samples.push(now);
    // The window starts at the newest sample at least a window old.
    while (samples.length > 1 && now.at - samples[1]!.at >= rate.windowMs) samples.shift();
    const start = samples[0]!;
    const elapsedMs = now.at - start.at;
    if (elapsedMs < rate.windowMs) return;
    const bytesInWindow = now.bytes - start.bytes;
    if ((bytesInWindow * 1000) / elapsedMs >= rate.bytesPerSecond || bytesInWindow === 0) return;
    clearInterval(timer);
    onTooSlow(bytesInWindow);
  }, checkEvery(rate.windowMs));
  timer.unref();
  return () => clearInterval(timer);
}
