import {
  ATTRIBUTE_PREFIX,
  attributeKeyOf,
  attributeTarget,
  isAttributeTarget,
  type AttributeTarget,
} from "../products/custom-fields/attribute-target.schema.js";
import {
  COMMERCE_FIELD_SPECS,
  MAPPED_COMMERCE_FIELDS,
  OPTION_TARGET_LABELS,
  OPTION_TARGETS,
  type MappedCommerceField,
  type OptionTarget,
} from "../products/commerce-fields.schema.js";

/**
 * What a column of a file can become: the fields of a product (its options each a name's and a
 * value's column). `sku` and `name` are required.
 */
export const TARGET_FIELDS = [
  "sku",
  "name",
  "description",
  "active",
  ...MAPPED_COMMERCE_FIELDS,
  ...OPTION_TARGETS.flatMap((option) => [option.name, option.value]),
] as ("sku" | "name" | "description" | "active" | MappedCommerceField | OptionTarget)[];
export type TargetField = (typeof TARGET_FIELDS)[number];
export const REQUIRED_FIELDS = ["sku", "name"] as const satisfies readonly TargetField[];

/** Each field's name as a person reads it (the mapping step, the review). */
export const FIELD_LABELS = {
  sku: "SKU",
  name: "Name",
  description: "Description",
  active: "Active",
  ...(Object.fromEntries(MAPPED_COMMERCE_FIELDS.map((field) => [field, COMMERCE_FIELD_SPECS[field].label])) as Record<MappedCommerceField, string>),
  ...OPTION_TARGET_LABELS,
} satisfies Record<TargetField, string>;

export { ATTRIBUTE_PREFIX, attributeKeyOf, attributeTarget, isAttributeTarget, type AttributeTarget };
export type MappingTarget = TargetField | AttributeTarget;

/** Which column of the file (by its header name, as written) each field comes from. */
export type ColumnMapping = Partial<Record<MappingTarget, string>>;

export const isTargetField = (value: string): value is TargetField => (TARGET_FIELDS as readonly string[]).includes(value);

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
