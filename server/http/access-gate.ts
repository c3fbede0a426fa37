import type { Request, RequestHandler, Response } from "express";
import type { Access, PasswordCheck } from "../auth/access.js";
import { asyncRoute } from "./async-route.js";

const LOGIN_PATH = /^\/login(\.data)?$/;
/** What anyone may fetch: readiness, the login page, and the static assets and route manifest it needs. */
const OPEN_PATHS = [/^\/healthz$/, LOGIN_PATH, /^\/build\//, /^\/favicon\.ico$/, /^\/__manifest$/];

const MAX_LOGIN_BODY_BYTES = 4096;

/** app/routes/session-expired.tsx */
const SESSION_EXPIRED_ROUTE = "/session-expired";

const LOG_IN_FIRST = "Log in first, or send the password as Authorization: Bearer <APP_PASSWORD>.";

/** What express routes to the tRPC middleware (mount paths match case-insensitively). */
const TRPC_PATH = /^\/api\/trpc(\/|$)/i;

function refuse(req: Request, res: Response, check: Exclude<PasswordCheck, { ok: true }>) {
  if (check.status === 429) res.set("Retry-After", String(check.retryAfterSeconds));
  res.set("WWW-Authenticate", 'Bearer realm="Product Importer"');
  if (TRPC_PATH.test(req.path)) {
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
    if (!access.enabled) return next();
    if (OPEN_PATHS.some((path) => path.test(req.path))) {
      // Open to anyone, so nobody may make the login form read a body of any size into memory.
      const declared = Number(req.get("content-length") ?? 0);
      const isLogin = req.method === "POST" && LOGIN_PATH.test(req.path);
      if (!isLogin || (declared > 0 && declared <= MAX_LOGIN_BODY_BYTES)) return next();
      res.set("Connection", "close").status(413).json({ error: "A login form is a password, not a file." });
      return;
    }
    const authorization = req.get("authorization");
    if (authorization?.toLowerCase().startsWith("bearer ")) {
      const check = await access.checkPassword(authorization.slice(7).trim(), req.ip ?? "unknown");
      if (check.ok || !refuse(req, res, check)) next();
      if (!check.ok) req.log.warn({ status: check.status }, "bearer password refused");
      return;
    }
    if (await access.hasSession(req.get("cookie"))) return next();
    if (/^\/api\//i.test(req.path)) {
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
