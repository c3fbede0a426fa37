import type { Request, RequestHandler, Response } from "express";
import type { IncomingMessage } from "node:http";
import { Refusal, sendRefusal } from "../refusal.js";
import { formatDuration } from "./format-duration.js";

const lifts = new WeakMap<IncomingMessage, () => void>();

/**
 * A request whose body has not arrived whole `timeoutMs` after its headers is answered 408 and its
 * connection closed: a client trickling a login form a byte at a time would otherwise hold the
 * connection, and whatever waits on the body, for as long as it likes. (Headers have Node's own
 * headersTimeout, see http-server.ts.) Only the arrival is timed: once the request is in, an
 * answer may stream for as long as it needs (progress streams, exports). A route that receives
 * long bodies on purpose lifts the deadline (`liftRequestDeadline`) and watches its client itself.
 */
export function requestDeadline(timeoutMs: number): RequestHandler {
  return (req, res, next) => {
    if (req.complete) return next();
    let timer: NodeJS.Timeout;
    const arm = () => (timer = setTimeout(() => expire(req, res, timeoutMs, arm), timeoutMs).unref());
    arm();
    const lift = () => clearTimeout(timer);
    lifts.set(req, lift);
    req.once("end", lift);
    next();
  };
}

/** For the one route that times its body itself (an upload takes minutes, and its pace is watched instead). */
export function liftRequestDeadline(req: IncomingMessage): void {
  lifts.get(req)?.();
}

function expire(req: Request, res: Response, timeoutMs: number, again: () => void): void {
  if (req.complete || req.socket.destroyed) return;
  // What arrived waits for this side to read it (a handler still busy before it reads): the slow
  // one is not the client.
  if (req.readableLength > 0 && !res.headersSent) return again();
  req.log?.warn({ timeoutMs }, "request body too slow: refused");
  // Answered already (a route that did not need the body): only the trickle is left to stop.
  if (res.headersSent) return void req.socket.destroy();
  // Node closes the connection once the answer is out, without reading the rest of the body.
  res.set("Connection", "close");
  sendRefusal(res, new Refusal("timeout", `The request had not arrived whole after ${formatDuration(timeoutMs)}, so it was refused. Send it again.`));
}
