import { describe, expect, it } from "vitest";
import { routeLabeller } from "../http/request-metrics.js";
import { pagePatterns } from "./page-routes.js";

// The shape of Remix's server build for a few of the app's own routes (flat routes, `_` escapes nesting).
const ROUTES = {
  root: { path: "" },
  "routes/_index": { parentId: "root", index: true },
  "routes/imports._index": { parentId: "root", path: "imports", index: true },
  "routes/imports.$id": { parentId: "root", path: "imports/:id" },
  "routes/imports.inspect": { parentId: "root", path: "imports/inspect" },
  "routes/feeds_.$id_.edit": { parentId: "root", path: "feeds/:id/edit" },
  "routes/fields": { parentId: "root", path: "fields" },
  "routes/fields.$key.edit": { parentId: "routes/fields", path: ":key/edit" },
};

const request = (originalUrl: string, route?: string) => ({ originalUrl, baseUrl: "", route: route ? { path: route } : undefined }) as never;

describe("the HTTP metrics' route label", () => {
  const label = routeLabeller({ procedures: new Set(["imports.get", "products.list"]), pages: pagePatterns(ROUTES) });

  it("is the page's pattern, the most specific first, and its data request's", () => {
    expect(pagePatterns(ROUTES)).toContain("/fields/:key/edit");
    expect(label(request("/imports/42"), 200)).toBe("/imports/:id");
    expect(label(request("/imports/inspect?x=1"), 200)).toBe("/imports/inspect");
    expect(label(request("/feeds/7/edit.data"), 200)).toBe("/feeds/:id/edit.data");
    expect(label(request("/fields/colour/edit", "*"), 200)).toBe("/fields/:key/edit");
    expect(label(request("/"), 200)).toBe("/");
    expect(label(request("/_root.data"), 200)).toBe("/.data");
  });

  it("is express's route, or the tRPC procedure when the router has it", () => {
    expect(label(request("/api/imports/9/events", "/api/imports/:id/events"), 200)).toBe("/api/imports/:id/events");
    expect(label(request("/api/trpc/imports.get?input={}"), 200)).toBe("/api/trpc/imports.get");
    expect(label(request("/api/trpc/imports.get,products.list?batch=1"), 200)).toBe("/api/trpc/(batch)");
    expect(label(request("/api/trpc/imports.nothing"), 404)).toBe("unmatched");
  });

  it("is `unmatched` for any path the app does not know, so a scanner makes no new series", () => {
    expect(label(request("/wp-login.php"), 404)).toBe("unmatched");
    expect(label(request("/imports/1/2/3"), 200)).toBe("unmatched");
    expect(label(request("/build/_assets/app-123.js"), 200)).toBe("/build/*");
  });
});
