import type { Request, RequestHandler } from "express";
import { askedHost } from "./request-host.js";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function sameHost(req: Request, origin: string): boolean {
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return false;
  }
  return host.toLowerCase() === askedHost(req);
}

/**
 * Refuses changes a browser sends on another site's behalf. Browsers say where a request comes
 * from (Sec-Fetch-Site, or at least Origin); clients that send neither (curl, scripts) are not
 * browsers and cannot be made to carry someone's cookie. Applies with or without a password: an
 * open app on localhost is just as reachable from a malicious page.
 */
export function crossSiteGuard(): RequestHandler {
  return (req, res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const site = req.get("sec-fetch-site");
    const origin = req.get("origin");
    const allowed = site ? site === "same-origin" || site === "none" : !origin || sameHost(req, origin);
    if (allowed) return next();
    req.log.warn({ origin, site }, "cross-site request refused");
    res.status(403).json({ error: "Requests from other sites cannot change anything here." });
  };
}
