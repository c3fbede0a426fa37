/** A Remix route as the server build lists it. */
interface BuiltRoute {
  path?: string;
  parentId?: string;
  index?: boolean;
}

/**
 * The pages' full path patterns (`/feeds/:id/edit`), from the Remix build's routes: each route's
 * path joined to its parents'. They label the HTTP metrics, so they come from the routes themselves.
 */
export function pagePatterns(routes: Record<string, BuiltRoute | undefined>): string[] {
  const fullPath = (id: string): string => {
    const route = routes[id];
    if (!route) return "";
    const parent = route.parentId ? fullPath(route.parentId) : "";
    return route.path ? `${parent.replace(/\/$/, "")}/${route.path.replace(/^\//, "")}` : parent;
  };
  const patterns = new Set(Object.keys(routes).map((id) => fullPath(id) || "/"));
  // The most specific first: `/imports/inspect` before `/imports/:id`.
  return [...patterns].sort((a, b) => specificity(b) - specificity(a) || a.localeCompare(b));
}

const specificity = (pattern: string) =>
  pattern
    .split("/")
    .filter(Boolean)
    .reduce((score, part) => score * 4 + (part.startsWith(":") ? 1 : part === "*" ? 0 : 2), 1);
