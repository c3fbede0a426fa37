import type { ProductOption } from "../../db/schema.js";
import { spreadsheetSafe } from "../files/formula-cells.js";
import { OPTION_TARGETS } from "./commerce-fields.schema.js";
import { handleSlug } from "./handle-slug.js";

/**
 * The catalog in a shop's own product CSV, as its importer takes it: Shopify's (the 2024 columns,
 * a handle's variants and image rows) and WooCommerce's (a variable parent and its variations).
 * Products come in groups (a group's variants together, a product without a group alone); each
 * group becomes the rows the platform writes for one product. Our own importer reads both back.
 */

/** A product as the export reads it (decimals as exact text, weight in grams and in kilograms). */
export interface ExportedProduct {
  id: string;
  sku: string;
  name: string;
  description: string;
  active: boolean;
  price: string | null;
  compare_at_price: string | null;
  stock: number | null;
  barcode: string | null;
  weight_grams: string | null;
  weight_kg: string | null;
  brand: string | null;
  category: string | null;
  tags: string[];
  product_group: string | null;
  options: ProductOption[];
  images: string[];
}

export const PLATFORM_FORMATS = ["shopify", "woocommerce"] as const;
export type PlatformFormat = (typeof PLATFORM_FORMATS)[number];

export interface PlatformWriter {
  header: string[];
  filename: string;
  /** A group's products, in order, as the platform's rows (cells in the header's order). */
  rows(group: ExportedProduct[]): string[][];
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((value, at) => value === b[at]);
const orEmpty = (value: string | number | null) => (value === null ? "" : String(value));

/** A Shopify handle: lower-case letters, digits and hyphens. */
const handleOf = (text: string) => handleSlug(text) || "product";

const SHOPIFY_HEADER = [
  "Title",
  "URL handle",
  "Description",
  "Vendor",
  "Type",
  "Tags",
  "Published on online store",
  "Status",
  "SKU",
  "Barcode",
  ...OPTION_TARGETS.flatMap((_, at) => [`Option${at + 1} name`, `Option${at + 1} value`]),
  "Price",
  "Compare-at price",
  "Inventory tracker",
  "Inventory quantity",
  "Weight value (grams)",
  "Weight unit for display",
  "Product image URL",
  "Image position",
  "Variant image URL",
] as const;
type ShopifyColumn = (typeof SHOPIFY_HEADER)[number];

/**
 * Shopify: one handle per group (a product alone gets one from its SKU). The first row holds the
 * product's own values and its first variant; each further variant a row of its own values; the
 * product's images (its first variant's) go one per row in position order, on image-only rows past
 * the last variant. A variant whose images are not the product's gets its first as its own image.
 * A product of one variant without options is written as Shopify writes it: `Title` / `Default Title`.
 */
export const shopifyWriter: PlatformWriter = {
  header: [...SHOPIFY_HEADER],
  filename: "products_export_shopify.csv",
  rows(group) {
    const first = group[0]!;
    const handle = handleOf(first.product_group ?? first.sku);
    const images = first.images;
    const optionNames = first.options.length || group.length > 1 ? first.options.map((option) => option.name) : ["Title"];
    const rows: string[][] = [];
    const row = (cells: Partial<Record<ShopifyColumn, string>>) => rows.push(SHOPIFY_HEADER.map((column) => cells[column] ?? ""));
    for (let at = 0; at < Math.max(group.length, images.length); at += 1) {
      const image = images[at] ? { "Product image URL": images[at], "Image position": String(at + 1) } : {};
      const variant = group[at];
      if (!variant) {
        row({ "URL handle": handle, ...image });
        continue;
      }
      const values = variant.options.length || group.length > 1 ? variant.options.map((option) => option.value) : ["Default Title"];
      row({
        "URL handle": handle,
        ...(at === 0
          ? {
              Title: first.name,
              Description: first.description,
              Vendor: orEmpty(first.brand),
              Type: orEmpty(first.category),
              Tags: first.tags.join(", "),
              "Published on online store": first.active ? "TRUE" : "FALSE",
              Status: first.active ? "active" : "draft",
            }
          : {}),
        SKU: variant.sku,
        Barcode: orEmpty(variant.barcode),
        ...Object.fromEntries(
          OPTION_TARGETS.flatMap((_, n) => [
            [`Option${n + 1} name`, at === 0 ? (optionNames[n] ?? "") : ""],
            [`Option${n + 1} value`, values[n] ?? ""],
          ]),
        ),
        Price: orEmpty(variant.price),
        "Compare-at price": orEmpty(variant.compare_at_price),
        "Inventory tracker": variant.stock === null ? "" : "shopify",
        "Inventory quantity": orEmpty(variant.stock),
        "Weight value (grams)": orEmpty(variant.weight_grams),
        "Weight unit for display": variant.weight_grams === null ? "" : "g",
        "Variant image URL": sameList(variant.images, images) ? "" : (variant.images[0] ?? ""),
        ...image,
      });
    }
    return rows;
  },
};

const WOO_HEADER = [
  "ID",
  "Type",
  "SKU",
  "GTIN, UPC, EAN, or ISBN",
  "Name",
  "Published",
  "Description",
  "In stock?",
  "Stock",
  "Sale price",
  "Regular price",
  "Categories",
  "Tags",
  "Images",
  "Parent",
  "Brands",
  "Weight (kg)",
  ...OPTION_TARGETS.flatMap((_, at) => [
    `Attribute ${at + 1} name`,
    `Attribute ${at + 1} value(s)`,
    `Attribute ${at + 1} visible`,
    `Attribute ${at + 1} global`,
  ]),
] as const;
type WooColumn = (typeof WOO_HEADER)[number];

/** WooCommerce's prices: a compare-at price above the price is a sale (regular = compare-at, sale = price). */
function wooPrices(product: ExportedProduct): Partial<Record<WooColumn, string>> {
  const { price, compare_at_price: compare } = product;
  if (price !== null && compare !== null && Number(compare) > Number(price)) return { "Regular price": compare, "Sale price": price };
  return { "Regular price": orEmpty(price) };
}

/** What a product's own row holds, a variation's and a simple product's alike. */
function wooValues(product: ExportedProduct): Partial<Record<WooColumn, string>> {
  return {
    SKU: product.sku,
    "GTIN, UPC, EAN, or ISBN": orEmpty(product.barcode),
    Name: product.name,
    Published: product.active ? "1" : "-1",
    "In stock?": product.stock === null ? "" : product.stock > 0 ? "1" : "0",
    Stock: orEmpty(product.stock),
    ...wooPrices(product),
    "Weight (kg)": orEmpty(product.weight_kg),
  };
}

/** A number WooCommerce's exporter leaves unmarked, though it may start with `-` or `+`. */
const NUMERIC = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;
/**
 * Text as WooCommerce's exporter writes it: a cell a spreadsheet would run as a formula marked
 * (its importer, and ours, take the mark off), a number as it is.
 */
const wooCells = (cells: Partial<Record<WooColumn, string>>) =>
  WOO_HEADER.map((column) => {
    const value = cells[column] ?? "";
    return NUMERIC.test(value) ? value : spreadsheetSafe(value);
  });

/**
 * WooCommerce: a product alone is `simple`; a group of several, or one with options, is a
 * `variable` parent (the first variant's name, description, category, tags, images and brand; its
 * attributes every value its variations have) and a `variation` per product, which leaves empty
 * what it shares with the parent (the importer fills it back in) and names it by SKU, or as
 * `id:<ID>` when the group's name is a variation's own SKU.
 */
export function wooWriter(): PlatformWriter {
  let lastId = 0;
  return {
    header: [...WOO_HEADER],
    filename: "wc-product-export.csv",
    rows(group) {
      const first = group[0]!;
      const shared = (product: ExportedProduct) => ({
        Description: product.description,
        Categories: orEmpty(product.category),
        Tags: product.tags.join(", "),
        Images: product.images.join(", "),
        Brands: orEmpty(product.brand),
      });
      if (first.product_group === null || (group.length === 1 && !first.options.length)) {
        return [wooCells({ ID: String(++lastId), Type: "simple", ...wooValues(first), ...shared(first) })];
      }
      const parentId = String(++lastId);
      const groupName = first.product_group;
      const skuTaken = group.some((product) => product.sku.toLowerCase() === groupName.toLowerCase());
      const parentSku = skuTaken || /^id:/i.test(groupName) ? "" : groupName;
      const names = first.options.map((option) => option.name);
      const attributes = (values: (n: number) => string) =>
        Object.fromEntries(
          names.flatMap((name, n) => [
            [`Attribute ${n + 1} name`, name],
            [`Attribute ${n + 1} value(s)`, values(n)],
            [`Attribute ${n + 1} visible`, "1"],
            [`Attribute ${n + 1} global`, "0"],
          ]),
        );
      const parentShared = shared(first);
      const rows = [
        wooCells({
          ID: parentId,
          Type: "variable",
          SKU: parentSku,
          Name: first.name,
          Published: group.some((product) => product.active) ? "1" : "-1",
          ...parentShared,
          ...attributes((n) => [...new Set(group.map((product) => product.options[n]?.value).filter(Boolean))].join(", ")),
        }),
      ];
      for (const product of group) {
        const own = shared(product);
        const differing = Object.fromEntries(
          Object.entries(own).map(([column, value]) => [column, value === parentShared[column as keyof typeof parentShared] ? "" : value]),
        );
        rows.push(
          wooCells({
            ID: String(++lastId),
            Type: "variation",
            ...wooValues(product),
            ...differing,
            Parent: parentSku || `id:${parentId}`,
            ...attributes((n) => product.options[n]?.value ?? ""),
          }),
        );
      }
      return rows;
    },
  };
}

export const platformWriter = (format: PlatformFormat): PlatformWriter => (format === "shopify" ? shopifyWriter : wooWriter());
