import type { IncomingMessage, ServerResponse } from "node:http";

/** How often a watch on a client looks: often enough for a timeout of `ms` to mean what it says, at most once a second. */
export const checkEvery = (ms: number) => Math.max(50, Math.min(1_000, Math.floor(ms / 4)));

/**
 * Calls `onSilent` once the client has sent no byte for `idleMs` while this side was ready to read
 * (a request body we hold back ourselves, because the database is slow, is not the client's
 * silence). Returns a function that stops watching.
 */
export function whenClientStopsSending(req: IncomingMessage, idleMs: number, onSilent: () => void): () => void {
  let bytesSeen = req.socket.bytesRead;
  let silentSince = Date.now();
  const timer = setInterval(() => {
    // Everything arrived: what remains (staging, committing) is this side's work.
    if (req.complete) return void clearInterval(timer);
    const bytes = req.socket.bytesRead;
    if (bytes !== bytesSeen || req.readableLength > 0) {
      bytesSeen = bytes;
      silentSince = Date.now();
      return;
    }
    if (Date.now() - silentSince < idleMs) return;
    clearInterval(timer);
    onSilent();
  }, checkEvery(idleMs));
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Calls `onStalled` once a response has waited `stallMs` for its client to take any of what was
 * already written: its buffers are full and not a byte has gone out since. A slow reader that
 * keeps taking something is not stalled. Returns a function that stops watching.
 */
export function whenClientStopsReading(res: ServerResponse, stallMs: number, onStalled: () => void): () => void {
  let bytesSent = -1;
  let stalledSince = Date.now();
  const timer = setInterval(() => {
    const bytes = res.socket?.bytesWritten ?? 0;
    if (!res.writableNeedDrain || bytes !== bytesSent) {
      bytesSent = bytes;
      stalledSince = Date.now();
      return;
    }
    if (Date.now() - stalledSince < stallMs) return;
    clearInterval(timer);
    onStalled();
  }, checkEvery(stallMs));
  timer.unref();
  return () => clearInterval(timer);
}
