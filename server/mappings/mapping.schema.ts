import { z } from "zod";

/** What a column of a file can become: the fields of a product. `sku` and `name` are required. */
export const TARGET_FIELDS = ["sku", "name", "description", "active"] as const;
export type TargetField = (typeof TARGET_FIELDS)[number];
export const REQUIRED_FIELDS = ["sku", "name"] as const satisfies readonly TargetField[];

/** Which column of the file (by its header name, as written) each field comes from. */
export type ColumnMapping = Partial<Record<TargetField, string>>;

const isTargetField = (value: string): value is TargetField => (TARGET_FIELDS as readonly string[]).includes(value);

/**
 * The platforms whose product exports are read as the platform writes them (profiles.ts says how),
 * by profile id, with their names as people know them. Detection tries them in this order.
 */
export const PLATFORM_NAMES = {
  shopify: "Shopify",
  woocommerce: "WooCommerce",
  magento: "Magento / Adobe Commerce",
  bigcommerce: "BigCommerce",
} as const;
export type ProfileId = keyof typeof PLATFORM_NAMES;
export const PROFILE_IDS = Object.keys(PLATFORM_NAMES) as ProfileId[];

export const isProfileId = (value: string): value is ProfileId => (PROFILE_IDS as readonly string[]).includes(value);

/** The upload option `profile`: a platform's export, by id in any case; blank lets the header decide. */
export const profileChoice = z
  .string()
  .optional()
  .transform((value, context): ProfileId | undefined => {
    if (value === undefined || value === "") return undefined;
    const profile = value.trim().toLowerCase();
    if (isProfileId(profile)) return profile;
    context.addIssue({ code: "custom", message: `profile "${value}" is not one this importer knows; use ${PROFILE_IDS.join(", ")}.` });
    return z.NEVER;
  });

const NOT_A_MAPPING = 'mapping must be a JSON object from a field to a column of the file, e.g. {"sku":"Variant SKU","name":"Title"}.';

/**
 * The upload option `mapping`: JSON text from a field to a column of the file (an empty column is
 * none). Blank lets the file decide; whether the file has those columns is known only once it is read.
 */
export const mappingChoice = z
  .string()
  .optional()
  .transform((text, context): ColumnMapping | undefined => {
    if (!text) return undefined;
    const refuse = (message: string) => {
      context.addIssue({ code: "custom", message });
      return z.NEVER;
    };
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return refuse(NOT_A_MAPPING);
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) return refuse(NOT_A_MAPPING);
    const mapping: ColumnMapping = {};
    for (const [field, column] of Object.entries(value)) {
      if (!isTargetField(field)) return refuse(`mapping: "${field}" is not a field; the fields are ${TARGET_FIELDS.join(", ")}.`);
      if (column === null || column === "") continue;
      if (typeof column !== "string") return refuse(`mapping: ${field} must name a column of the file, as text.`);
      mapping[field] = column;
    }
    return mapping;
  });
