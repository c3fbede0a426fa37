/**
 * The pages' paths, declared once: the access gate (server/http/access-gate.ts) and the Remix
 * routes that link to them (app/) both read them from here.
 */
export const PAGES = {
  home: "/",
  login: "/login",
  logout: "/logout",
  /** Where a page-data request without a session is sent (app/routes/session-expired.tsx). */
  sessionExpired: "/session-expired",
  products: "/products",
  imports: "/imports",
  webhooks: "/webhooks",
} as const;

/** What Remix itself asks for: page data (`<page>.data`, single fetch) and the lazy route manifest. */
export const REMIX_PATHS = {
  dataSuffix: ".data",
  /** The root route's data, asked for as `/_root.data`. */
  rootData: "/_root.data",
  manifest: "/__manifest",
  assets: "/build/",
} as const;

/** The page a `<page>.data` request is for. */
export const pageOfDataRequest = (path: string) => (path === REMIX_PATHS.rootData ? PAGES.home : path.slice(0, -REMIX_PATHS.dataSuffix.length));
