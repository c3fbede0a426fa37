import type { Request, RequestHandler, Response } from "express";
import type { Access, PasswordCheck } from "../auth/access.js";
import { asyncRoute } from "./async-route.js";

/** What anyone may fetch: readiness, the login page, and the static assets and route manifest it needs. */
const OPEN_PATHS = [/^\/healthz$/, /^\/login(\.data)?$/, /^\/build\//, /^\/favicon\.ico$/, /^\/__manifest$/];

/** app/routes/session-expired.tsx */
const SESSION_EXPIRED_ROUTE = "/session-expired";

const LOG_IN_FIRST = "Log in first, or send the password as Authorization: Bearer <APP_PASSWORD>.";

function refuse(req: Request, res: Response, check: Exclude<PasswordCheck, { ok: true }>) {
  if (check.status === 429) res.set("Retry-After", String(check.retryAfterSeconds));
  res.set("WWW-Authenticate", 'Bearer realm="Product Importer"');
  if (req.path.startsWith("/api/trpc")) {
    // tRPC answers it in its own error shape (see createContext), so tRPC clients can read it.
    res.locals.refusal = check;
    return false;
  }
  res.status(check.status).json({ error: check.message });
  return true;
}

/**
 * With APP_PASSWORD set, every request needs the session cookie or the password as a bearer
 * token. Pages without either go to the login page and come back after it.
 */
export function accessGate(access: Access): RequestHandler {
  return asyncRoute(async (req, res, next) => {
    if (!access.enabled || OPEN_PATHS.some((path) => path.test(req.path))) return next();
    const authorization = req.get("authorization");
    if (authorization?.toLowerCase().startsWith("bearer ")) {
      const check = await access.checkPassword(authorization.slice(7).trim(), req.ip ?? "unknown");
      if (check.ok || !refuse(req, res, check)) next();
      if (!check.ok) req.log.warn({ status: check.status }, "bearer password refused");
      return;
    }
    if (await access.hasSession(req.get("cookie"))) return next();
    if (req.path.startsWith("/api/")) {
      if (!refuse(req, res, { ok: false, status: 401, message: LOG_IN_FIRST })) next();
      return;
    }
    if (req.path.endsWith(".data")) {
      // Remix's client fetches page data from `<page>.data` and follows only redirects Remix
      // itself encodes; a route that always redirects to the login page answers instead.
      const page = req.path.slice(0, -".data".length).replace(/^\/_root$/, "/");
      req.url = req.originalUrl = `${SESSION_EXPIRED_ROUTE}.data?next=${encodeURIComponent(page)}`;
      return next();
    }
    const back = req.method === "GET" && req.originalUrl !== "/" ? `?next=${encodeURIComponent(req.originalUrl)}` : "";
    res.redirect(303, `/login${back}`);
  });
}
