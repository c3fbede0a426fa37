import { z } from "zod";
import { idSchema } from "../ids.schema.js";
import { storableText } from "../text-input.schema.js";
import { pageInput } from "../paging.schema.js";
import { FIELD_LIMITS, hasNul, lengthOver, normalizeName, normalizeSku } from "./product-rules.schema.js";
import { COMMERCE_FIELD_SPECS, COMMERCE_FIELDS, TAG_LIMITS, type CommerceField } from "./commerce-fields.schema.js";
import { DecimalSeparator, readCommerceValue, readTags } from "./commerce-values.schema.js";
import { readImageUrl, readOptions, shown } from "./variant-values.schema.js";
import { emptyOf, IMAGE_LIMITS, OPTION_LIMITS, type ScalarCommerceField } from "./commerce-fields.schema.js";
import type { ProductOption } from "../../db/schema.js";

export const productIdInput = z.object({ id: idSchema });

const filterText = (max: number) => storableText().pipe(z.string().max(max)).optional();

/**
 * A commerce field as the API and the product form take it, read by the importer's own rule
 * (commerce-values.schema.ts): a number or its text, whose decimal separator the value itself shows
 * (`12.50`, `12,50`; `1,234` reads as thousands); null or blank text clears it.
 */
function commerceInput<T>(field: ScalarCommerceField, given: z.ZodType<string | number | string[]>) {
  return given.nullable().transform((value, context): T | null => {
    if (value === null || (typeof value === "string" && value.trim() === "")) return null;
    const text = Array.isArray(value) ? value.join("") : String(value);
    const shown = JSON.stringify(value).slice(0, 80);
    if (hasNul(text)) {
      context.addIssue({ code: "custom", message: `${field} contains a NUL character` });
      return z.NEVER;
    }
    const read = Array.isArray(value) ? readTags(value) : readCommerceValue(field, String(value), DecimalSeparator.of("auto"));
    if ("problem" in read) {
      context.addIssue({ code: "custom", message: `${field} ${shown} ${read.problem}` });
      return z.NEVER;
    }
    return read.value as T;
  });
}

/** Options as `[{ name, value }]`, each named once and holding a value (null or [] is none). */
function optionsInput() {
  const option = z.strictObject({ name: z.string({ error: "must be text" }), value: z.string({ error: "must be text" }) });
  return z
    .array(option, { error: "options must be a list of { name, value }" })
    .max(OPTION_LIMITS.count, `options: at most ${OPTION_LIMITS.count}`)
    .nullable()
    .transform((given, context): ProductOption[] => {
      const empty = (given ?? []).findIndex((option) => !option.name.trim() || !option.value.trim() || hasNul(option.name + option.value));
      if (empty !== -1) {
        context.addIssue({ code: "custom", message: `options: option ${empty + 1} needs a name and a value (text without NUL)` });
        return z.NEVER;
      }
      const read = readOptions((given ?? []).map((option) => [option.name, option.value] as const));
      if ("problem" in read) {
        context.addIssue({ code: "custom", message: `options: ${read.problem}` });
        return z.NEVER;
      }
      return read.value;
    });
}

/** Images as a list of absolute http(s) URLs, the main one first (repeats dropped; null or [] is none). */
function imagesInput() {
  return z
    .array(z.string({ error: "must be text" }), { error: "images must be a list of URLs" })
    .max(IMAGE_LIMITS.count, `images: at most ${IMAGE_LIMITS.count}`)
    .nullable()
    .transform((given, context): string[] => {
      const urls: string[] = [];
      for (const url of given ?? []) {
        const read = hasNul(url) ? { problem: "contains a NUL character" } : readImageUrl(url);
        if ("problem" in read) {
          context.addIssue({
            code: "custom",
            message: `images: ${shown(url)} ${read.problem.replace("; give imageBaseUrl to read it as a URL", "")}`,
          });
          return z.NEVER;
        }
        if (!urls.includes(read.value)) urls.push(read.value);
      }
      return urls;
    });
}

const numberOrText = z.union([z.number(), z.string()], { error: "must be a number, or a number as text" });
const text = z.string({ error: "must be text" });

/** Each commerce field's input (CONTRACT.md's `products.create` / `update`), keyed as the API names them. */
export const commerceInputs = {
  price: commerceInput<string>("price", numberOrText),
  compareAtPrice: commerceInput<string>("compareAtPrice", numberOrText),
  stock: commerceInput<number>("stock", numberOrText),
  barcode: commerceInput<string>("barcode", text),
  weightGrams: commerceInput<string>("weightGrams", numberOrText),
  brand: commerceInput<string>("brand", text),
  category: commerceInput<string>("category", text),
  tags: commerceInput<string[]>("tags", z.array(z.string(), { error: "must be a list of text" })).transform((tags) => tags ?? []),
  group: commerceInput<string>("group", text),
  options: optionsInput(),
  images: imagesInput(),
} satisfies Record<CommerceField, z.ZodType>;
export type CommerceInput = { [F in CommerceField]: z.output<(typeof commerceInputs)[F]> };

/** What the list can be sorted by; without a sort it comes in the order products were added. */
export const PRODUCT_SORTS = ["sku", "name", "price", "stock", "brand", "category", "group", "createdAt", "updatedAt"] as const;
export type ProductSort = (typeof PRODUCT_SORTS)[number];
export const SORT_ORDERS = ["asc", "desc"] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

/** Text filters: trimmed, blank is none. */
export const TEXT_FILTERS = ["sku", "name", "description", "brand", "category", "tag", "barcode", "group"] as const;
/** Range filters: a bound left out (or null) is none. */
export const RANGE_FILTERS = ["priceMin", "priceMax", "stockMin", "stockMax"] as const;

export const productFilters = z.object({
  sku: filterText(FIELD_LIMITS.sku),
  name: filterText(FIELD_LIMITS.name),
  description: filterText(1000),
  active: z.boolean().optional(),
  /** Case-insensitive "contains". */
  brand: filterText(COMMERCE_FIELD_SPECS.brand.max),
  /** That path or any path under it, case-insensitively (`Apparel` finds `Apparel > Shirts`). */
  category: filterText(COMMERCE_FIELD_SPECS.category.max),
  /** Has that tag, case-insensitively. */
  tag: filterText(TAG_LIMITS.length),
  /** Exactly that barcode. */
  barcode: filterText(COMMERCE_FIELD_SPECS.barcode.max),
  /** That group exactly, case-insensitively (a product's siblings). */
  group: filterText(COMMERCE_FIELD_SPECS.group.max),
  /** Only products with images (true) or without any (false). */
  hasImages: z.boolean({ error: "hasImages must be true or false" }).optional(),
  priceMin: commerceInputs.price.optional(),
  priceMax: commerceInputs.price.optional(),
  stockMin: z.number({ error: "stockMin must be a whole number" }).int("stockMin must be a whole number").optional(),
  stockMax: z.number({ error: "stockMax must be a whole number" }).int("stockMax must be a whole number").optional(),
  /**
   * The team's own fields by key: a value to equal (a list field: to hold), or `{ min, max }` for a
   * number, integer or date field. Read against the fields where the list is asked for
   * (custom-fields/attribute-filters.ts), so a key or value they refuse is named.
   */
  attributes: z
    .record(
      z.string(),
      z.union([
        z.string(),
        z.number(),
        z.boolean(),
        z.strictObject({ min: z.union([z.string(), z.number()]).nullish(), max: z.union([z.string(), z.number()]).nullish() }),
      ]),
      { error: "attributes must be an object from a field's key to a value, or to { min, max }" },
    )
    .optional(),
});
export type ProductFilters = z.infer<typeof productFilters>;

/** The filters that narrow anything: text trimmed, blanks and empty bounds left out. */
export function activeFilters(filters: ProductFilters): ProductFilters {
  const kept: ProductFilters = {};
  for (const key of TEXT_FILTERS) if (filters[key]?.trim()) kept[key] = filters[key]!.trim();
  for (const key of RANGE_FILTERS) if (filters[key] !== undefined && filters[key] !== null) Object.assign(kept, { [key]: filters[key] });
  if (filters.active !== undefined) kept.active = filters.active;
  if (filters.hasImages !== undefined) kept.hasImages = filters.hasImages;
  if (filters.attributes && Object.keys(filters.attributes).length) kept.attributes = filters.attributes;
  return kept;
}

/** Whether the filters narrow the catalog at all (blank text does not). */
export const hasFilter = (filters: ProductFilters) => Object.keys(activeFilters(filters)).length > 0;

export const productListInput = productFilters.extend({
  sort: z.enum(PRODUCT_SORTS, { error: () => `sort must be one of ${PRODUCT_SORTS.join(", ")}` }).optional(),
  order: z.enum(SORT_ORDERS, { error: () => `order must be asc or desc` }).optional(),
  ...pageInput.shape,
});
export type ProductListInput = z.infer<typeof productListInput>;

/** A bulk action's ids at most; more than that is what a filter is for. */
export const BULK_IDS_LIMIT = 10_000;

/**
 * Which products a bulk action touches: listed ids, or every product matching a filter. A filter
 * that narrows nothing is the whole catalog, which has to be asked for in so many words.
 */
const bulkTargetShape = {
  ids: z
    .array(idSchema)
    .min(1, "ids must name at least one product")
    .max(BULK_IDS_LIMIT, `ids: at most ${BULK_IDS_LIMIT.toLocaleString("en-US")} at once; use a filter for more`)
    .optional(),
  filter: productFilters.optional(),
  all: z.literal(true, { error: () => "all can only be true" }).optional(),
};

const checkTarget = (target: { ids?: string[]; filter?: ProductFilters; all?: true }, context: z.RefinementCtx) => {
  const problem = bulkTargetProblem(target);
  if (problem) context.addIssue({ code: "custom", message: problem, path: [] });
};

export const bulkDeleteInput = z.object(bulkTargetShape).superRefine(checkTarget);
export type BulkTarget = z.infer<typeof bulkDeleteInput>;

function bulkTargetProblem({ ids, filter, all }: { ids?: string[]; filter?: ProductFilters; all?: true }): string | null {
  if (ids && filter) return "Give either ids or filter, not both";
  if (ids && all) return "all: true goes with an empty filter (the whole catalog), not with ids";
  if (!ids && !filter && !all) return "Say which products: ids, or a filter (all: true for the whole catalog)";
  if (!ids && !hasFilter(filter ?? {}) && !all) return "An empty filter means the whole catalog: send all: true to confirm";
  return null;
}

/** The commerce fields a bulk update can set: not the lists each product holds for itself (options, images). */
export const BULK_COMMERCE_FIELDS = COMMERCE_FIELDS.filter((field): field is BulkCommerceField => !("notBulk" in COMMERCE_FIELD_SPECS[field]));
export type BulkCommerceField = Exclude<CommerceField, "options" | "images">;
/** The fields a bulk update can set: every built-in one but the product's identity (SKU, name, description) and its own lists. */
export const BULK_SET_FIELDS = ["active", ...BULK_COMMERCE_FIELDS] as const;

/**
 * The team's own fields by key. Which keys exist and what each takes is data (fields.list), so the
 * values are read against the fields where they are written (custom-fields/attribute-input.ts).
 */
const attributesInput = z.record(z.string(), z.unknown(), { error: "attributes must be an object from a field's key to its value" });

/** What a bulk update sets, each value read by products.update's rule (`commerceInputs`); null clears a field. */
const bulkSetInput = z.strictObject(
  {
    active: z.boolean({ error: "active must be true or false" }).optional(),
    ...(Object.fromEntries(BULK_COMMERCE_FIELDS.map((field) => [field, commerceInputs[field].optional()])) as {
      [F in BulkCommerceField]: z.ZodOptional<(typeof commerceInputs)[F]>;
    }),
    /** Merged by key into each product's, a key set to null cleared (as products.update does). */
    attributes: attributesInput.optional(),
  },
  {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? `set cannot change ${issue.keys.map((key) => `"${key}"`).join(", ")}; it takes ${BULK_SET_FIELDS.join(", ")} and attributes`
        : `set must be an object of fields (${BULK_SET_FIELDS.join(", ")})`,
  },
);

/** Tags to add or remove: a list read by the rule of a product's tags (trimmed, blanks and repeats by case dropped). */
const bulkTagsInput = (name: string) =>
  z.array(z.string({ error: `${name} must be a list of text` }), { error: `${name} must be a list of text` }).transform((given, context) => {
    const read = given.some(hasNul) ? { problem: "contains a NUL character" } : readTags(given);
    if ("problem" in read) {
      context.addIssue({ code: "custom", message: `${name} ${read.problem}` });
      return z.NEVER;
    }
    return read.value;
  });

/** What a bulk update changes must say something, and not contradict itself. */
function changeProblem({ set, addTags = [], removeTags = [] }: { set?: Record<string, unknown>; addTags?: string[]; removeTags?: string[] }) {
  const setting = Object.values(set ?? {}).some((value) => value !== undefined);
  if (!setting && addTags.length === 0 && removeTags.length === 0)
    return "Nothing to change: give set (such as set.active or set.price), addTags or removeTags";
  if (set?.tags !== undefined && (addTags.length > 0 || removeTags.length > 0))
    return "set.tags replaces every tag: give it, or addTags / removeTags, not both";
  const removing = new Set(removeTags.map((tag) => tag.toLowerCase()));
  const both = addTags.filter((tag) => removing.has(tag.toLowerCase()));
  if (both.length > 0) return `${both.map((tag) => `"${tag}"`).join(", ")} cannot be both added and removed`;
  return null;
}

export const bulkUpdateInput = z
  .object({
    ...bulkTargetShape,
    set: bulkSetInput.optional(),
    addTags: bulkTagsInput("addTags").optional(),
    removeTags: bulkTagsInput("removeTags").optional(),
  })
  .superRefine(checkTarget)
  .superRefine((input, context) => {
    // A value that did not read has said so already; "nothing to change" would only add noise.
    const problem = context.issues.length > 0 ? null : changeProblem(input);
    if (problem) context.addIssue({ code: "custom", message: problem, path: [] });
  });
export type BulkUpdateInput = z.infer<typeof bulkUpdateInput>;
/** The fields a bulk update sets, as read (null clears). */
export type BulkSet = NonNullable<BulkUpdateInput["set"]>;

const withinLimit = (label: string, limit: number) =>
  z.string().refine((value) => lengthOver(value, limit) === null, `${label} must be at most ${limit.toLocaleString("en-US")} characters`);

const skuField = storableText("SKU")
  .transform(normalizeSku)
  .pipe(withinLimit("SKU", FIELD_LIMITS.sku).pipe(z.string().min(1, "SKU is required")));
const nameField = storableText("Name")
  .transform(normalizeName)
  .pipe(withinLimit("Name", FIELD_LIMITS.name).pipe(z.string().min(1, "Name is required")));
const descriptionField = storableText("Description").pipe(withinLimit("Description", FIELD_LIMITS.description));

/** Shared by the tRPC procedures, the product form and the tests. */
export const productCreateInput = z.object({
  sku: skuField,
  name: nameField,
  description: descriptionField.default(""),
  active: z.boolean().default(true),
  attributes: attributesInput.default({}),
  // Left out, a field is empty (a list without values: []).
  ...(Object.fromEntries(
    COMMERCE_FIELDS.map((field) => [field, (commerceInputs[field] as z.ZodType).default(emptyOf(field) === null ? null : [])]),
  ) as {
    [F in CommerceField]: z.ZodDefault<(typeof commerceInputs)[F]>;
  }),
});
export type ProductCreateInput = z.infer<typeof productCreateInput>;

export const productUpdateInput = productIdInput.extend({
  sku: skuField.optional(),
  name: nameField.optional(),
  description: descriptionField.optional(),
  active: z.boolean().optional(),
  /** Merged by key: a key set to null is cleared, a key left out keeps its value. */
  attributes: attributesInput.optional(),
  ...(Object.fromEntries(COMMERCE_FIELDS.map((field) => [field, commerceInputs[field].optional()])) as {
    [F in CommerceField]: z.ZodOptional<(typeof commerceInputs)[F]>;
  }),
});
export type ProductUpdateInput = z.infer<typeof productUpdateInput>;
