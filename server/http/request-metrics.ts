import type { Request, RequestHandler } from "express";
import { httpRequestSeconds } from "../metrics/app-metrics.js";

/** What a request's path is labelled as when it matches nothing the app knows (scanners, typos): one series, not one per path. */
export const UNMATCHED_ROUTE = "unmatched";

const TRPC_MOUNT = "/api/trpc";
const PAGE_DATA_SUFFIX = ".data";

export interface KnownRoutes {
  /** tRPC procedure paths (`imports.get`). */
  procedures: ReadonlySet<string>;
  /** The pages' path patterns, as Remix declares them (`/imports/:id`). */
  pages: readonly string[];
}

const patternOf = (template: string) =>
  new RegExp(
    `^${template
      .replace(/[.+?^${}()|[\]\\]/g, "\\$&")
      .replace(/\/:[^/]+/g, "/[^/]+")
      .replace(/\/\*$/, "(/.*)?")}/?$`,
    "i",
  );

/**
 * The route a request is counted under: express's own route pattern when one answered, the tRPC
 * procedure, the page's pattern (its data request as `<pattern>.data`), and `unmatched` for the
 * rest, so the label's values are as many as the app's routes however many paths are asked for.
 */
export function routeLabeller(known: KnownRoutes): (req: Request, status: number) => string {
  const pages = known.pages.map((template) => ({ template, pattern: patternOf(template) }));
  const pageOf = (path: string) => pages.find((page) => page.pattern.test(path))?.template;
  return (req, status) => {
    const path = (req.originalUrl.split("?")[0] ?? "/").replace(/\/{2,}/g, "/");
    // The pages' catch-all ("*") says nothing: they are matched below.
    const route = req.route?.path as unknown;
    if (typeof route === "string" && route !== "*") return `${req.baseUrl}${route}`;
    if (path.toLowerCase().startsWith(`${TRPC_MOUNT}/`)) {
      const called = path.slice(TRPC_MOUNT.length + 1);
      if (known.procedures.has(called)) return `${TRPC_MOUNT}/${called}`;
      const batch = called.split(",");
      return batch.length > 1 && batch.every((name) => known.procedures.has(name)) ? `${TRPC_MOUNT}/(batch)` : UNMATCHED_ROUTE;
    }
    if (status === 404) return UNMATCHED_ROUTE;
    if (path.startsWith("/build/")) return "/build/*";
    if (path.endsWith(PAGE_DATA_SUFFIX)) {
      const page = path === "/_root.data" ? "/" : pageOf(path.slice(0, -PAGE_DATA_SUFFIX.length));
      return page ? `${page}${PAGE_DATA_SUFFIX}` : UNMATCHED_ROUTE;
    }
    return pageOf(path) ?? UNMATCHED_ROUTE;
  };
}

/** Times every request until its answer is sent (or its connection closes), by method, route and status. */
export function requestMetrics(known: KnownRoutes): RequestHandler {
  const routeOf = routeLabeller(known);
  return (req, res, next) => {
    const end = httpRequestSeconds.startTimer();
    let counted = false;
    const count = () => {
      if (counted) return;
      counted = true;
      // A connection that closed before an answer was sent has no status of its own.
      const status = res.headersSent ? res.statusCode : 499;
      end({ method: req.method, route: routeOf(req, status), status: String(status) });
    };
    res.once("finish", count);
    res.once("close", count);
    next();
  };
}
