import type { Request, RequestHandler, Response } from "express";
import type { Access } from "../auth/access.js";
import { PAGES, pageOfDataRequest, REMIX_PATHS } from "../page-paths.js";
import { Refusal, sendRefusal } from "../refusal.js";
import { asyncRoute } from "./async-route.js";

const isLoginPath = (path: string) => path === PAGES.login || path === `${PAGES.login}${REMIX_PATHS.dataSuffix}`;

/** What anyone may fetch: readiness, the login page, and the static assets and route manifest it needs. */
const isOpenPath = (path: string) =>
  path === "/healthz" || isLoginPath(path) || path.startsWith(REMIX_PATHS.assets) || path === "/favicon.ico" || path === REMIX_PATHS.manifest;

const MAX_LOGIN_BODY_BYTES = 4096;

const LOG_IN_FIRST = "Log in first, or send the password as Authorization: Bearer <APP_PASSWORD>.";

/** What express routes to the tRPC middleware (mount paths match case-insensitively). */
const TRPC_PATH = /^\/api\/trpc(\/|$)/i;

/** A refusal from the gate itself; for tRPC paths, what `trpcRefusal` hands to tRPC's context. */
function refuse(req: Request, res: Response, refusal: Refusal): boolean {
  res.set("WWW-Authenticate", 'Bearer realm="Product Importer"');
  if (TRPC_PATH.test(req.path)) {
    // tRPC answers it in its own error shape (its createContext throws it), so tRPC clients can read it.
    if (refusal.retryAfterSeconds !== undefined) res.set("Retry-After", String(refusal.retryAfterSeconds));
    res.locals.refusal = refusal;
    return false;
  }
  sendRefusal(res, refusal);
  return true;
}

/** The gate's refusal of a tRPC request, if it refused one. */
export const trpcRefusal = (res: Response) => res.locals.refusal as Refusal | undefined;

/**
 * With APP_PASSWORD set, every request needs the session cookie or the password as a bearer
 * token. Pages without either go to the login page and come back after it.
 */
export function accessGate(access: Access): RequestHandler {
  return asyncRoute(async (req, res, next) => {
    if (!access.enabled) return next();
    if (isOpenPath(req.path)) {
      // Open to anyone, so nobody may make the login form read a body of any size into memory.
      const declared = Number(req.get("content-length") ?? 0);
      const isLogin = req.method === "POST" && isLoginPath(req.path);
      if (!isLogin || (declared > 0 && declared <= MAX_LOGIN_BODY_BYTES)) return next();
      res.set("Connection", "close");
      sendRefusal(res, new Refusal("too_large", "A login form is a password, not a file."));
      return;
    }
    const authorization = req.get("authorization");
    if (authorization?.toLowerCase().startsWith("bearer ")) {
      const check = await access.checkPassword(authorization.slice(7).trim(), req.ip ?? "unknown");
      if (check.ok || !refuse(req, res, check.refusal)) next();
      if (!check.ok) req.log.warn({ status: check.refusal.status }, "bearer password refused");
      return;
    }
    if (await access.hasSession(req.get("cookie"))) return next();
    if (/^\/api\//i.test(req.path)) {
      if (!refuse(req, res, new Refusal("unauthorized", LOG_IN_FIRST))) next();
      return;
    }
    if (req.path.endsWith(REMIX_PATHS.dataSuffix)) {
      // Remix's client fetches page data from `<page>.data` and follows only redirects Remix
      // itself encodes; a route that always redirects to the login page answers instead.
      const page = pageOfDataRequest(req.path);
      req.url = req.originalUrl = `${PAGES.sessionExpired}${REMIX_PATHS.dataSuffix}?next=${encodeURIComponent(page)}`;
      return next();
    }
    const back = req.method === "GET" && req.originalUrl !== PAGES.home ? `?next=${encodeURIComponent(req.originalUrl)}` : "";
    res.redirect(303, `${PAGES.login}${back}`);
  });
}
