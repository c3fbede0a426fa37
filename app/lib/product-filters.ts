export const PAGE_SIZES = [25, 50, 100, 200] as const;

export interface ListState {
  sku?: string;
  name?: string;
  description?: string;
  active?: boolean;
  page: number;
  pageSize: number;
}

/** The list's state lives in the URL: shareable, Back works, the server renders it. */
export function listStateFromUrl(url: URL): ListState {
  const params = url.searchParams;
  const text = (key: string) => params.get(key)?.trim() || undefined;
  const active = params.get("active");
  const size = Number(params.get("size"));
  const page = Number(params.get("page"));
  return {
    sku: text("sku"),
    name: text("name"),
    description: text("description"),
    active: active === "true" ? true : active === "false" ? false : undefined,
    page: Number.isInteger(page) && page > 0 ? page : 1,
    pageSize: (PAGE_SIZES as readonly number[]).includes(size) ? size : 50,
  };
}

/** The same URL without the dialog and notice parameters: where a closed dialog returns to. */
export function listHref(url: URL): string {
  const params = new URLSearchParams(url.search);
  for (const key of ["new", "edit", "confirm", "notice", "tone"]) params.delete(key);
  const query = params.toString();
  return `${url.pathname}${query ? `?${query}` : ""}`;
}

export function withParams(href: string, extra: Record<string, string>): string {
  const url = new URL(href, "http://local");
  for (const [key, value] of Object.entries(extra)) url.searchParams.set(key, value);
  return `${url.pathname}${url.search}`;
}
