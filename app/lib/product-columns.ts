import { formatCount, formatPrice } from "~/lib/format";
import { SORT_LABELS } from "~/lib/product-filters";
import { COMMERCE_FIELD_SPECS } from "../../server/products/commerce-fields.schema";
import type { ProductJson } from "../../server/products/product-json";
import type { ProductSort } from "../../server/products/product.schema";
import type { CustomField } from "~/lib/use-fields";
import { attributeTarget } from "../../server/products/custom-fields/attribute-target.schema";
import { fieldValueText } from "../../server/products/custom-fields/field-values.schema";

/** A product as the list shows it: its description's text (app/routes/products.tsx), never its markup. */
export type ListedProduct = Omit<ProductJson, "description"> & { descriptionText: string };

/** A line of the list: a product alone, or a group's variants that match (`products.groups`). */
export interface ListedLine {
  group: string | null;
  /** The group's variants, matching or not. */
  variantCount: number;
  variants: ListedProduct[];
}

/** A line the list shows as a group: more than the one product, or a group of which fewer match. */
export const isGroupLine = (line: ListedLine) => line.group !== null && (line.variants.length > 1 || line.variantCount > 1);

/**
 * A column a person can choose to see on the products page, beside the ones always there (SKU,
 * name, description, active). A custom field's column is one more of these, keyed
 * `attributes.<key>`, handed to `productColumns`.
 */
export interface ProductColumn {
  /** Its name in the URL: `?columns=price,brand`. */
  key: string;
  /** Its header, and its label on a phone's card. */
  label: string;
  /** The sort its header links to, when the list can be sorted by it. */
  sort?: ProductSort;
  /** Numbers line up on the right. */
  numeric?: true;
  /**
   * The cell's class. A phone's card (app.css) has places for `price`, `stock` and `changed`;
   * a `wide` cell takes a line of its own there. Others are `col-…` (a bare `brand` is the app's name).
   */
  cell: string;
  /** Shown after the active switch, where the last change has always been, rather than after the name. */
  last?: true;
  /** What the cell says; "lastChange" is what last wrote the product, its import linked (the table draws it). */
  value: ((product: ListedProduct, currency: string | undefined) => string) | "lastChange";
}

const NONE = "—";
const decimal = new Intl.NumberFormat("en-US", { maximumFractionDigits: 4 });

const text = (value: string | null) => value ?? NONE;

/** A variant's options, as its row and the options column say them: `Size: M · Color: Navy`. */
export const optionsText = (options: ListedProduct["options"]) => options.map((option) => `${option.name}: ${option.value}`).join(" · ");

/** A group's options over its variants, each name once with its values in order: `Size: S, M, L · Color: Navy`. */
export function optionsSummary(variants: readonly Pick<ListedProduct, "options">[]): string {
  const values = new Map<string, string[]>();
  for (const { options } of variants)
    for (const { name, value } of options) {
      const seen = values.get(name) ?? [];
      if (!seen.includes(value)) values.set(name, [...seen, value]);
    }
  return [...values].map(([name, seen]) => `${name}: ${seen.join(", ")}`).join(" · ");
}

/** The built-in columns, in the order the page shows them. */
const BUILT_IN_COLUMNS: readonly ProductColumn[] = [
  { key: "price", label: SORT_LABELS.price, sort: "price", numeric: true, cell: "price", value: (p, currency) => formatPrice(p.price, currency) },
  {
    key: "compareAtPrice",
    label: COMMERCE_FIELD_SPECS.compareAtPrice.label,
    numeric: true,
    cell: "col-compare-at-price wide",
    value: (p, currency) => formatPrice(p.compareAtPrice, currency),
  },
  {
    key: "stock",
    label: SORT_LABELS.stock,
    sort: "stock",
    numeric: true,
    cell: "stock",
    value: (p) => (p.stock === null ? NONE : formatCount(p.stock)),
  },
  { key: "barcode", label: COMMERCE_FIELD_SPECS.barcode.label, cell: "col-barcode wide", value: (p) => text(p.barcode) },
  {
    key: "weightGrams",
    label: COMMERCE_FIELD_SPECS.weightGrams.label,
    numeric: true,
    cell: "col-weight wide",
    // An exact decimal as text, formatted as such (never through a float).
    value: (p) => (p.weightGrams === null ? NONE : decimal.format(p.weightGrams as `${number}`)),
  },
  { key: "brand", label: SORT_LABELS.brand, sort: "brand", cell: "col-brand wide", value: (p) => text(p.brand) },
  { key: "category", label: SORT_LABELS.category, sort: "category", cell: "col-category wide", value: (p) => text(p.category) },
  { key: "tags", label: COMMERCE_FIELD_SPECS.tags.label, cell: "col-tags wide", value: (p) => p.tags.join(", ") || NONE },
  { key: "group", label: SORT_LABELS.group, sort: "group", cell: "col-group wide", value: (p) => text(p.group) },
  {
    key: "options",
    label: COMMERCE_FIELD_SPECS.options.label,
    cell: "col-options wide",
    value: (p) => optionsText(p.options) || NONE,
  },
  { key: "images", label: COMMERCE_FIELD_SPECS.images.label, numeric: true, cell: "col-images wide", value: (p) => formatCount(p.images.length) },
  { key: "updated", label: SORT_LABELS.updatedAt, sort: "updatedAt", cell: "changed", last: true, value: "lastChange" },
];

/** What the page shows when the URL does not say: what it has always shown. */
export const DEFAULT_COLUMNS: readonly string[] = ["price", "stock", "updated"];

/** The query parameter that holds the choice. */
export const COLUMNS_PARAM = "columns";

/** A column for each of the team's own fields, `attributes.<key>`, after the built-in ones. */
export function fieldColumns(fields: readonly CustomField[]): ProductColumn[] {
  return fields.map((field) => ({
    key: attributeTarget(field.key),
    label: field.label,
    ...(field.type === "number" || field.type === "integer" ? { numeric: true as const } : {}),
    cell: "col-attribute wide",
    value: (product) => {
      const value = product.attributes[field.key];
      if (value === undefined) return NONE;
      if (typeof value === "boolean") return value ? "Yes" : "No";
      return fieldValueText(value);
    },
  }));
}

/** Every column the list can show: the built-in ones, then `extra` (a custom field's, say) in their order. */
export function productColumns(extra: readonly ProductColumn[] = []): readonly ProductColumn[] {
  return [...BUILT_IN_COLUMNS, ...extra];
}

/**
 * The keys of the columns the URL chose, in the list's order: `?columns=price,brand` (the chooser
 * without scripts sends `columns=price&columns=brand`, read the same). Absent, the default; a name
 * no column has is left out, so `?columns=` shows none but the ones always there.
 */
export function chosenColumnKeys(params: URLSearchParams, available: readonly ProductColumn[]): string[] {
  const given = params.getAll(COLUMNS_PARAM);
  const named = new Set(given.length === 0 ? DEFAULT_COLUMNS : given.flatMap((value) => value.split(",").map((name) => name.trim())));
  return available.filter((column) => named.has(column.key)).map((column) => column.key);
}

/** How the URL writes a choice: null for the default, which it leaves out. */
export function columnsParam(keys: readonly string[]): string | null {
  const isDefault = keys.length === DEFAULT_COLUMNS.length && DEFAULT_COLUMNS.every((key) => keys.includes(key));
  return isDefault ? null : keys.join(",");
}

/** The URL's choice as it is written, to carry along to a dialog and back (the products page reads it). */
export function columnsParamOf(params: URLSearchParams): string | null {
  const given = params.getAll(COLUMNS_PARAM);
  return given.length === 0 ? null : given.join(",");
}

/** A list's query (`?sku=cap`, or "") with the column choice; the keys need no escaping but are escaped all the same. */
export function withColumns(search: string, param: string | null): string {
  if (param === null) return search;
  const value = param.split(",").map(encodeURIComponent).join(",");
  return `${search}${search ? "&" : "?"}${COLUMNS_PARAM}=${value}`;
}
