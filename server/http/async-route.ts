import type { NextFunction, Request, RequestHandler, Response } from "express";
import { SERVER_FAULT_MESSAGE } from "../refusal.js";

/**
 * Express 4 ignores a rejected promise from a handler, and an unhandled rejection ends the process:
 * every async route goes through this, so a failure is an answer (or a closed stream), never a crash.
 */
export function asyncRoute(handler: (req: Request, res: Response, next: NextFunction) => Promise<void>): RequestHandler {
  return (req, res, next) => {
    handler(req, res, next).catch((error: unknown) => {
      req.log?.error({ err: error }, "request failed");
      if (!res.headersSent) res.status(500).json({ error: SERVER_FAULT_MESSAGE });
      else res.destroy();
    });
  };
}
