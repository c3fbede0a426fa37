import type { RequestHandler } from "express";

/**
 * Express routes on the path as sent, while Remix (and browsers) resolve it first: `/build/../x`
 * is `/build/…` to one and `/x` to the other. Only paths both read alike get in, so what the
 * access gate checks is what answers.
 */
export function canonicalPath(): RequestHandler {
  return (req, res, next) => {
    let resolved: string | null = null;
    try {
      resolved = new URL(req.originalUrl, "http://host").pathname;
    } catch {
      // unparseable: refused below
    }
    if (resolved === req.path) return next();
    res.status(400).json({ error: "The path has dot segments, backslashes or double slashes; ask for it in its plain form." });
  };
}
