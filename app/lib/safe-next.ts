const HERE = "http://this.site";

/**
 * Where to go after logging in: a path on this site only, never another site (open redirect).
 * Resolving it the way a browser would catches `//x`, `/\x` and control characters browsers drop;
 * what comes out is checked again, since dot segments can resolve into a leading `//`
 * (`/.//evil.example` is the path `//evil.example`, which a browser reads as another host).
 */
export function safeNextPath(value: string | null | undefined): string {
  if (!value || !value.startsWith("/") || /[\u0000-\u001f\u007f\\]/.test(value)) return "/";
  let url: URL;
  try {
    url = new URL(value, HERE);
  } catch {
    return "/";
  }
  const path = `${url.pathname}${url.search}${url.hash}`;
  return url.origin === HERE && !/^\/[/\\]/.test(path) ? path : "/";
}
