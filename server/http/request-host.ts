import type { Request } from "express";

/** The Host header as the client itself sent it: no other header can stand in for it. */
export function sentHost(req: Request): string {
  return (req.headers.host ?? "").toLowerCase();
}

/**
 * The host (with port) the browser asked for: a trusted proxy's X-Forwarded-Host, else Host. Only
 * proxies named in TRUST_PROXY are believed; from anyone else the header is just a claim.
 */
export function askedHost(req: Request): string {
  const trusted = req.app.get("trust proxy fn") as (address: string, hop: number) => boolean;
  const forwarded = req.get("x-forwarded-host");
  if (forwarded && trusted(req.socket.remoteAddress ?? "", 0)) return forwarded.split(",")[0]!.trim().toLowerCase();
  return sentHost(req);
}

/** A host header's name without its port or IPv6 brackets. */
export function hostName(host: string): string {
  const bracketed = /^\[([^\]]*)\]/.exec(host);
  if (bracketed) return bracketed[1]!;
  return host.replace(/:\d*$/, "");
}
