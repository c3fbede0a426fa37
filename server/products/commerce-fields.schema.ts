import { DECIMAL_SEPARATORS, EMPTY_CELL_RULES, type DecimalSeparatorChoice, type EmptyCellRule } from "../../db/schema.js";

export { DECIMAL_SEPARATORS, EMPTY_CELL_RULES, type DecimalSeparatorChoice, type EmptyCellRule };

/**
 * The product's typed fields beyond its SKU, name, description and flag (CONTRACT.md's `Product`):
 * what it sells by (prices, stock, barcode, weight, brand, category, tags) and how a shop shows it
 * (the group its variants share, its options, its images). Declared once: the importer's mapping
 * and staging, the merge, the review, the undo, the API, the events and the export all take their
 * list, columns and limits from here. Zod-free: the parse worker reads these facts.
 */

/** What a field holds, which decides how a value is read and stored. */
export type CommerceKind = "money" | "integer" | "weight" | "text" | "category" | "tags" | "group" | "options" | "images";

export interface CommerceFieldSpec {
  /** The products column (and staging column) that holds it. */
  column: string;
  kind: CommerceKind;
  /** How its column is written with COPY (db/copy-row.ts's kinds). */
  stored: "numeric" | "integer" | "text" | "textArray" | "jsonb";
  /** How a person reads its name (the mapping step, the product form, the review). */
  label: string;
  /** Longest text, in characters. */
  max?: number;
  /** Values of a platform's later rows of one product, when blank, are taken from its first row. */
  shared?: true;
  /** Never null: a product without a value holds this (SQL), and an empty cell writes it. */
  empty?: string;
  /** Not a column of a file of its own (options come from `option1Name`, `option1Value`…). */
  composed?: true;
  /** Not set by a bulk update (a list each product holds for itself). */
  notBulk?: true;
}

/** In the order the API, the export and the mapping step list them. */
export const COMMERCE_FIELDS = [
  "price",
  "compareAtPrice",
  "stock",
  "barcode",
  "weightGrams",
  "brand",
  "category",
  "tags",
  "group",
  "options",
  "images",
] as const;
export type CommerceField = (typeof COMMERCE_FIELDS)[number];

export const COMMERCE_FIELD_SPECS = {
  price: { column: "price", kind: "money", stored: "numeric", label: "Price" },
  compareAtPrice: { column: "compare_at_price", kind: "money", stored: "numeric", label: "Compare-at price" },
  stock: { column: "stock", kind: "integer", stored: "integer", label: "Stock" },
  barcode: { column: "barcode", kind: "text", stored: "text", label: "Barcode", max: 64 },
  weightGrams: { column: "weight_grams", kind: "weight", stored: "numeric", label: "Weight (g)" },
  brand: { column: "brand", kind: "text", stored: "text", label: "Brand", max: 255, shared: true },
  category: { column: "category", kind: "category", stored: "text", label: "Category", max: 1000, shared: true },
  tags: { column: "tags", kind: "tags", stored: "textArray", label: "Tags", shared: true, empty: "'{}'::text[]" },
  group: { column: "product_group", kind: "group", stored: "text", label: "Group", max: 255 },
  options: { column: "options", kind: "options", stored: "jsonb", label: "Options", empty: "'[]'::jsonb", composed: true, notBulk: true },
  images: { column: "images", kind: "images", stored: "textArray", label: "Images", empty: "'{}'::text[]", notBulk: true },
} as const satisfies Record<CommerceField, CommerceFieldSpec>;

type Specs = typeof COMMERCE_FIELD_SPECS;
/** The commerce columns as a COPY table declares them (db/copy-row.ts), each nullable unless it is one of `notNull`. */
export type CommerceCopyColumns<NotNull extends string = never> = {
  [F in CommerceField as Specs[F]["column"]]: Specs[F]["column"] extends NotNull
    ? { kind: Specs[F]["stored"] }
    : { kind: Specs[F]["stored"]; nullable: true };
};

/** The commerce columns for a table written with COPY: a staged row's (all nullable), a before-image's (the lists never null). */
export function commerceCopyColumns<NotNull extends string = never>(notNull: readonly NotNull[] = []): CommerceCopyColumns<NotNull> {
  return Object.fromEntries(
    COMMERCE_FIELDS.map((field) => {
      const { column, stored } = COMMERCE_FIELD_SPECS[field];
      return [column, (notNull as readonly string[]).includes(column) ? { kind: stored } : { kind: stored, nullable: true }];
    }),
  ) as CommerceCopyColumns<NotNull>;
}

/** The fields read from one value of text by commerce-values.schema.ts (options and images have readers of their own). */
export type ScalarCommerceField = Exclude<CommerceField, "options" | "images">;

/** The fields a column of a file maps to one for one (options are composed of several). */
export type MappedCommerceField = Exclude<CommerceField, "options">;
export const MAPPED_COMMERCE_FIELDS = COMMERCE_FIELDS.filter((field): field is MappedCommerceField => !("composed" in COMMERCE_FIELD_SPECS[field]));

export const isCommerceField = (value: string): value is CommerceField => Object.hasOwn(COMMERCE_FIELD_SPECS, value);

/** A decimal (a price, a weight): at most this many digits after the point, and below 10^12. */
export const DECIMAL_LIMITS = { scale: 4, integerDigits: 12 } as const;
/** Stock is a Postgres integer. */
export const STOCK_LIMITS = { min: -2_147_483_648, max: 2_147_483_647 } as const;
/** Tags: each at most this long, at most this many on a product. */
export const TAG_LIMITS = { length: 255, count: 250 } as const;
/** How a category path's segments are joined, as stored and shown. */
export const CATEGORY_SEPARATOR = " > ";

/** A product's options: at most this many, each name and value at most this long. */
export const OPTION_LIMITS = { count: 3, length: 255 } as const;
/** A product's images: at most this many URLs, each at most this long. */
export const IMAGE_LIMITS = { count: 50, length: 2048 } as const;

/** The mapping's option columns (CONTRACT.md's mapping keys), by option: its name's and its value's. */
export const OPTION_TARGETS = [
  { name: "option1Name", value: "option1Value" },
  { name: "option2Name", value: "option2Value" },
  { name: "option3Name", value: "option3Value" },
] as const;
export type OptionTarget = (typeof OPTION_TARGETS)[number]["name" | "value"];
/** "Option 1" is the option's name (Size); its value (M) says so. Neither says "name", which is the product's. */
export const OPTION_TARGET_LABELS: Record<OptionTarget, string> = {
  option1Name: "Option 1",
  option1Value: "Option 1 value",
  option2Name: "Option 2",
  option2Value: "Option 2 value",
  option3Name: "Option 3",
  option3Value: "Option 3 value",
};

/** The fields never null, and what a product without one holds. */
export const emptyOf = (field: CommerceField): string | null =>
  "empty" in COMMERCE_FIELD_SPECS[field] ? (COMMERCE_FIELD_SPECS[field] as CommerceFieldSpec).empty! : null;
