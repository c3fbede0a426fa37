const HERE = "http://this.site";

/**
 * Where to go after logging in: a path on this site only, never another site (open redirect).
 * Resolving it the way a browser would catches `//x`, `/\x` and control characters browsers drop.
 */
export function safeNextPath(value: string | null | undefined): string {
  if (!value || !value.startsWith("/") || /[\u0000-\u001f\u007f\\]/.test(value)) return "/";
  let url: URL;
  try {
    url = new URL(value, HERE);
  } catch {
    return "/";
  }
  return url.origin === HERE ? `${url.pathname}${url.search}${url.hash}` : "/";
}
