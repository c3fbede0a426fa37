import type { RequestHandler, Response } from "express";
import helmet from "helmet";
import { randomBytes } from "node:crypto";

/** The per-response nonce that lets Remix's own inline scripts run under the CSP, and nothing else. */
export function cspNonce(res: Response): string {
  return res.locals.cspNonce as string;
}

export function securityHeaders(): RequestHandler[] {
  return [
    (_req, res, next) => {
      res.locals.cspNonce = randomBytes(16).toString("base64");
      next();
    },
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'", (_req, res) => `'nonce-${cspNonce(res as Response)}'`],
          styleSrc: ["'self'"],
          // Product images live on the shops' and suppliers' hosts (thumbnails send no referrer).
          imgSrc: ["'self'", "data:", "https:", "http:"],
          connectSrc: ["'self'"],
          fontSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      // Served over plain http on a private network as often as behind TLS: do not pin subdomains.
      strictTransportSecurity: { maxAge: 180 * 24 * 60 * 60, includeSubDomains: false },
      xFrameOptions: { action: "deny" },
      referrerPolicy: { policy: "same-origin" },
    }),
  ];
}
