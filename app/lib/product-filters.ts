import { PAGES } from "../../server/page-paths";
import { hasFilter, PRODUCT_SORTS, SORT_ORDERS, type ProductSort, type SortOrder } from "../../server/products/product.schema";

/** What each sort is called, in the column headers and the Sort by control alike. */
export const SORT_LABELS: Record<ProductSort, string> = { sku: "SKU", name: "Name", createdAt: "Created", updatedAt: "Last change" };

export const PAGE_SIZES = [25, 50, 100, 200] as const;
const DEFAULT_PAGE_SIZE = 50;

export interface ListState {
  sku?: string;
  name?: string;
  description?: string;
  active?: boolean;
  sort?: ProductSort;
  order?: SortOrder;
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
    sort: oneOf(PRODUCT_SORTS, params.get("sort")),
    // Without a sort the order still applies: newest added first is `order=desc` alone.
    order: oneOf(SORT_ORDERS, params.get("order")),
    page: Number.isInteger(page) && page > 0 ? page : 1,
    pageSize: (PAGE_SIZES as readonly number[]).includes(size) ? size : DEFAULT_PAGE_SIZE,
  };
}

const oneOf = <T extends string>(values: readonly T[], value: string | null): T | undefined =>
  (values as readonly string[]).includes(value ?? "") ? (value as T) : undefined;

export const isFiltered = (state: ListState) => hasFilter(filtersOf(state));

/**
 * The products page with the same filters and page: a dialog's URL (`/products/new?name=cap`)
 * carries the list's query, and closing the dialog returns to it.
 */
export const productsHref = (search: string) => `${PAGES.products}${search}`;

/** A dialog over the list (`new`, `12/edit`, `delete-all`, `bulk`), keeping the list's query. */
export const productDialogHref = (dialog: string, search: string) => `${PAGES.products}/${dialog}${search}`;

/** The list's filters alone, as the API takes them (a bulk action's filter). */
export const filtersOf = ({ sku, name, description, active }: ListState) => ({ sku, name, description, active });

/** The URL's query for the list's state; `change` overrides parts of it (a sort resets the page). */
export function listQuery(state: ListState, change: Partial<ListState> = {}, only: "filters" | "all" = "all") {
  const next = { ...state, ...change };
  const params = new URLSearchParams();
  for (const key of ["sku", "name", "description"] as const) if (next[key]) params.set(key, next[key]!);
  if (next.active !== undefined) params.set("active", String(next.active));
  if (only === "all") {
    if (next.sort) params.set("sort", next.sort);
    if (next.order && (next.sort || next.order !== "asc")) params.set("order", next.order);
    if (next.page > 1) params.set("page", String(next.page));
    if (next.pageSize !== DEFAULT_PAGE_SIZE) params.set("size", String(next.pageSize));
  }
  const query = params.toString();
  return query ? `?${query}` : "";
}

/** The export's query: the list's filters, without paging. */
export const exportQuery = (state: ListState) => listQuery(state, {}, "filters");
