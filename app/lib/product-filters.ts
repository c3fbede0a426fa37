import { PAGES } from "../../server/page-paths";

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

export const isFiltered = (state: ListState) => Boolean(state.sku || state.name || state.description || state.active !== undefined);

/**
 * The products page with the same filters and page: a dialog's URL (`/products/new?name=cap`)
 * carries the list's query, and closing the dialog returns to it.
 */
export const productsHref = (search: string) => `${PAGES.products}${search}`;

/** A dialog over the list (`new`, `12/edit`, `delete-all`), keeping the list's query. */
export const productDialogHref = (dialog: string, search: string) => `${PAGES.products}/${dialog}${search}`;

/** The export's query: the list's filters, without paging. */
export function exportQuery(state: ListState) {
  const params = new URLSearchParams();
  for (const key of ["sku", "name", "description"] as const) if (state[key]) params.set(key, state[key]!);
  if (state.active !== undefined) params.set("active", String(state.active));
  const query = params.toString();
  return query ? `?${query}` : "";
}
