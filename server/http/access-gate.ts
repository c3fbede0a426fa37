import type { Request, RequestHandler, Response } from "express";
import type { ApiTokenScope } from "../../db/schema.js";
import type { Access } from "../auth/access.js";
import { secretMatcher } from "../auth/secret-matcher.js";
import { PERSON, type Caller } from "../auth/caller.js";
import { isApiToken } from "../tokens/api-tokens.js";
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

/** The caller the gate let through (a person unless an API token), for tRPC's context. */
export const callerOf = (res: Response): Caller => (res.locals.caller as Caller | undefined) ?? PERSON;

const isApiPath = (path: string) => /^\/api\//i.test(path);
const TOKEN_REFUSED = "This API token is not valid, or it was revoked.";

/**
 * An API token as the bearer: only on /api routes, only while it is live, and a `read` token
 * only for reading (tRPC's own middleware refuses its mutations, which may arrive as POSTs).
 * Returns whether the request may go on.
 */
async function admitToken(req: Request, res: Response, bearer: string, verify: TokenVerifier): Promise<boolean> {
  if (!isApiPath(req.path)) return !refuse(req, res, new Refusal("unauthorized", "API tokens work on /api routes; sign in to use the pages."));
  const token = await verify(bearer);
  if (!token) {
    req.log.warn("API token refused");
    return !refuse(req, res, new Refusal("unauthorized", TOKEN_REFUSED));
  }
  res.locals.caller = { kind: "token", tokenId: token.id, scope: token.scope } satisfies Caller;
  if (token.scope === "read" && !TRPC_PATH.test(req.path) && req.method !== "GET" && req.method !== "HEAD") {
    return !refuse(req, res, new Refusal("forbidden", "This API token may only read: uploading needs a token with the write scope."));
  }
  return true;
}

export type TokenVerifier = (bearer: string) => Promise<{ id: string; scope: ApiTokenScope } | undefined>;

const bearerOf = (req: Request) => {
  const authorization = req.get("authorization");
  return authorization?.toLowerCase().startsWith("bearer ") ? authorization.slice(7).trim() : undefined;
};

const METRICS_CREDENTIALS = "Send Authorization: Bearer with the METRICS_TOKEN, the password, or an API token.";

/**
 * GET /metrics, on every ROLE (a worker's figures matter most): without a credential only when
 * `open` (config.ts's metricsOpenWithoutCredential); otherwise the scraper's METRICS_TOKEN, the
 * password (as a bearer or a session) or a live API token of either scope.
 */
export function metricsGate(access: Access, verifyToken: TokenVerifier, options: { metricsToken?: string; open: boolean }): RequestHandler {
  const isMetricsToken = options.metricsToken ? secretMatcher(options.metricsToken) : () => false;
  return asyncRoute(async (req, res, next) => {
    const bearer = bearerOf(req);
    const refuseWith = (refusal: Refusal) => {
      res.set("WWW-Authenticate", 'Bearer realm="Product Importer metrics"');
      sendRefusal(res, refusal);
    };
    const unauthorized = (message: string) => refuseWith(new Refusal("unauthorized", message));
    if (bearer !== undefined) {
      if (isMetricsToken(bearer)) return next();
      if (isApiToken(bearer)) return (await verifyToken(bearer)) ? next() : unauthorized(TOKEN_REFUSED);
      if (!access.enabled) return unauthorized(`That bearer is not the METRICS_TOKEN. ${METRICS_CREDENTIALS}`);
      const check = await access.checkPassword(bearer, req.ip ?? "unknown");
      return check.ok ? next() : refuseWith(check.refusal);
    }
    if (options.open) return next();
    if (access.enabled && (await access.hasSession(req.get("cookie")))) return next();
    unauthorized(`Metrics need a credential. ${METRICS_CREDENTIALS}`);
  });
}

/**
 * With APP_PASSWORD set, every request needs the session cookie, the password as a bearer token,
 * or a live API token. Pages without one go to the login page and come back after it. An API
 * token is honoured (its scope and revocation) whether or not a password is set.
 */
export function accessGate(access: Access, verifyToken: TokenVerifier): RequestHandler {
  return asyncRoute(async (req, res, next) => {
    const bearer = bearerOf(req);
    if (bearer !== undefined && isApiToken(bearer)) {
      if (await admitToken(req, res, bearer, verifyToken)) next();
      return;
    }
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
    if (bearer !== undefined) {
      const check = await access.checkPassword(bearer, req.ip ?? "unknown");
      if (check.ok || !refuse(req, res, check.refusal)) next();
      if (!check.ok) req.log.warn({ status: check.refusal.status }, "bearer password refused");
      return;
    }
    if (await access.hasSession(req.get("cookie"))) return next();
    if (isApiPath(req.path)) {
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
