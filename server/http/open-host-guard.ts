import type { RequestHandler } from "express";
import ipaddr from "ipaddr.js";
import { hostName, sentHost } from "./request-host.js";

/**
 * An app without a password is protected only by being out of reach. A malicious page can point
 * a name of its own at this machine (DNS rebinding) and then read and change everything as a
 * "same-origin" page; it cannot make the browser send this machine's name or address as Host.
 */
export function openHostGuard(allowedHosts: string[]): RequestHandler {
  const allowed = new Set(allowedHosts);
  return (req, res, next) => {
    // The Host the browser sent, never X-Forwarded-Host: a rebound page can add that header itself.
    const host = hostName(sentHost(req));
    if (ipaddr.isValid(host) || host === "localhost" || host.endsWith(".localhost") || allowed.has(host)) return next();
    res.status(403).json({
      error: `This Product Importer has no password and answers only to localhost and IP addresses. Set APP_PASSWORD, or add "${host}" to ALLOWED_HOSTS.`,
    });
  };
}
