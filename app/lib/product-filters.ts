import { PAGES } from "../../server/page-paths";
import {
  commerceInputs,
  hasFilter,
  PRODUCT_SORTS,
  SORT_ORDERS,
  TEXT_FILTERS,
  type ProductSort,
  type SortOrder,
} from "../../server/products/product.schema";
import {
  attributeFilterFromQuery,
  attributeFilterQuery,
  type AttributeFilterText,
} from "../../server/products/custom-fields/attribute-target.schema";

/** What each sort is called, in the column headers and the Sort by control alike. */
export const SORT_LABELS: Record<ProductSort, string> = {
  sku: "SKU",
  name: "Name",
  price: "Price",
  stock: "Stock",
  brand: "Brand",
  category: "Category",
  group: "Group",
  createdAt: "Created",
  updatedAt: "Last change",
};

export const PAGE_SIZES = [25, 50, 100, 200] as const;
const DEFAULT_PAGE_SIZE = 50;

export interface ListState {
  sku?: string;
  name?: string;
  description?: string;
  active?: boolean;
  brand?: string;
  category?: string;
  tag?: string;
  barcode?: string;
  /** A group's variants (exact, any case). */
  group?: string;
  /** Only products with images, or (false) without any. */
  hasImages?: boolean;
  /** Exact decimals, as the API gives them back (`12.50`). */
  priceMin?: string;
  priceMax?: string;
  stockMin?: number;
  stockMax?: number;
  /** The team's own fields (`?attributes.fit=Slim`, `?attributes.width.min=5`), as typed: the server reads them by each field's type. */
  attributes?: AttributeFilterText;
  sort?: ProductSort;
  order?: SortOrder;
  /** Every variant a row of its own (`?view=variants`), rather than a group's on one line. */
  variants?: true;
  page: number;
  pageSize: number;
}

/** The list's state lives in the URL: shareable, Back works, the server renders it. */
export function listStateFromUrl(url: URL): ListState {
  const params = url.searchParams;
  const text = (key: string) => params.get(key)?.trim() || undefined;
  const active = params.get("active");
  const images = params.get("images");
  const size = Number(params.get("size"));
  const page = Number(params.get("page"));
  // A bound that is no price is left out, as a page size that is none is.
  const price = (key: string) => {
    const parsed = commerceInputs.price.safeParse(text(key) ?? null);
    return parsed.success ? (parsed.data ?? undefined) : undefined;
  };
  const whole = (key: string) => (/^-?\d{1,9}$/.test(text(key) ?? "") ? Number(text(key)) : undefined);
  const stock = STOCK_CHOICES[params.get("stock") ?? ""];
  return {
    ...(Object.fromEntries(TEXT_FILTERS.map((key) => [key, text(key)])) as Pick<ListState, (typeof TEXT_FILTERS)[number]>),
    active: active === "true" ? true : active === "false" ? false : undefined,
    hasImages: images === "with" ? true : images === "without" ? false : undefined,
    priceMin: price("priceMin"),
    priceMax: price("priceMax"),
    stockMin: stock ? stock.stockMin : whole("stockMin"),
    stockMax: stock ? stock.stockMax : whole("stockMax"),
    attributes: attributeFilterFromQuery(params.entries()),
    sort: oneOf(PRODUCT_SORTS, params.get("sort")),
    // Without a sort the order still applies: newest added first is `order=desc` alone.
    order: oneOf(SORT_ORDERS, params.get("order")),
    ...(params.get(VIEW_PARAM) === "variants" ? { variants: true as const } : {}),
    page: Number.isInteger(page) && page > 0 ? page : 1,
    pageSize: (PAGE_SIZES as readonly number[]).includes(size) ? size : DEFAULT_PAGE_SIZE,
  };
}

const VIEW_PARAM = "view";

/** Whether the list shows a group's variants on one line: unless asked not to, or listing one group. */
export const groupsVariants = (state: ListState) => !state.variants && !state.group;

/** The stock choices the filters offer, as the bounds they stand for (`?stock=out` is `stockMax=0`). */
export const STOCK_CHOICES: Record<string, { label: string; stockMin?: number; stockMax?: number }> = {
  in: { label: "In stock", stockMin: 1 },
  out: { label: "Out of stock", stockMax: 0 },
};

/** Which stock choice the state's bounds are, if any ("" for none). */
export const stockChoiceOf = (state: Pick<ListState, "stockMin" | "stockMax">) =>
  Object.entries(STOCK_CHOICES).find(([, bounds]) => bounds.stockMin === state.stockMin && bounds.stockMax === state.stockMax)?.[0] ?? "";

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
export const filtersOf = ({ sort: _sort, order: _order, variants: _variants, page: _page, pageSize: _pageSize, ...filters }: ListState) => filters;

/** The URL's query for the list's state; `change` overrides parts of it (a sort resets the page). */
export function listQuery(state: ListState, change: Partial<ListState> = {}, only: "filters" | "all" = "all") {
  const next = { ...state, ...change };
  const params = new URLSearchParams();
  for (const key of TEXT_FILTERS) if (next[key]) params.set(key, next[key]!);
  if (next.active !== undefined) params.set("active", String(next.active));
  if (next.hasImages !== undefined) params.set("images", next.hasImages ? "with" : "without");
  for (const key of ["priceMin", "priceMax"] as const) if (next[key] !== undefined) params.set(key, next[key]!);
  const stock = stockChoiceOf(next);
  if (stock) params.set("stock", stock);
  else for (const key of ["stockMin", "stockMax"] as const) if (next[key] !== undefined) params.set(key, String(next[key]));
  for (const [name, value] of attributeFilterQuery(next.attributes)) params.set(name, value);
  if (only === "all") {
    if (next.sort) params.set("sort", next.sort);
    if (next.order && (next.sort || next.order !== "asc")) params.set("order", next.order);
    if (next.variants) params.set(VIEW_PARAM, "variants");
    if (next.page > 1) params.set("page", String(next.page));
    if (next.pageSize !== DEFAULT_PAGE_SIZE) params.set("size", String(next.pageSize));
  }
  const query = params.toString();
  return query ? `?${query}` : "";
}

/** The export's query: the list's filters, without paging. */
export const exportQuery = (state: ListState) => listQuery(state, {}, "filters");
