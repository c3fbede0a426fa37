import { z } from "zod";
import { FIELD_TYPES, type FieldType } from "../../../db/schema.js";
import { storableText } from "../../text-input.schema.js";
import { COMMERCE_FIELD_SPECS, COMMERCE_FIELDS } from "../commerce-fields.schema.js";

export { FIELD_TYPES, type FieldType };
export { FIELD_KEY, FIELD_LIMITS, FIELD_TYPE_LABELS, RANGE_TYPES } from "./field-values.schema.js";
import { FIELD_KEY, FIELD_LIMITS } from "./field-values.schema.js";

/**
 * Names a custom field's key may not take: the product's own fields, as the API and the export name
 * them (in any case), and the names the variants issue adds (CONTRACT.md).
 */
const RESERVED_KEYS = new Set(
  [
    "id",
    "sku",
    "name",
    "description",
    "active",
    "attributes",
    "created_at",
    "updated_at",
    "group",
    "options",
    "images",
    ...COMMERCE_FIELDS,
    ...COMMERCE_FIELDS.map((field) => COMMERCE_FIELD_SPECS[field].column),
  ].map((name) => name.toLowerCase()),
);

export const isReservedKey = (key: string) => RESERVED_KEYS.has(key.toLowerCase());

/** A key made from a label: `Country of origin` → `country_of_origin`; undefined when the label has no letters to make one of. */
export function keyFromLabel(label: string): string | undefined {
  const words = label
    .replace(/ß/g, "ss")
    .replace(/[æÆ]/g, "ae")
    .replace(/[œŒ]/g, "oe")
    .replace(/[øØ]/g, "o")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^[_0-9]+|_+$/g, "");
  return words ? words.slice(0, 63).replace(/_+$/, "") : undefined;
}

const label = storableText("label")
  .transform((value) => value.trim())
  .pipe(z.string().min(1, "label is required").max(FIELD_LIMITS.label, `label must be at most ${FIELD_LIMITS.label} characters`));

const options = z
  .array(
    storableText("an option")
      .transform((value) => value.trim())
      .pipe(z.string().min(1, "an option cannot be blank").max(FIELD_LIMITS.option, `an option must be at most ${FIELD_LIMITS.option} characters`)),
    { error: "options must be a list of text" },
  )
  .max(FIELD_LIMITS.options, `at most ${FIELD_LIMITS.options} options`)
  .superRefine((given, context) => {
    const seen = new Set<string>();
    for (const option of given) {
      if (seen.has(option.toLowerCase())) context.addIssue({ code: "custom", message: `the option "${option}" is listed twice` });
      seen.add(option.toLowerCase());
    }
  });

const type = z.enum(FIELD_TYPES, { error: () => `type must be one of ${FIELD_TYPES.join(", ")}` });
const key = z.string().regex(FIELD_KEY, "key must start with a letter and hold only a–z, 0–9 and _ (at most 63 characters)");

/** A choice needs its options; no other type has any. */
function checkOptions(input: { type?: FieldType; options?: string[] | null }, context: z.RefinementCtx) {
  if (input.type === "choice" && input.options !== undefined && (input.options === null || input.options.length === 0)) {
    context.addIssue({ code: "custom", message: "a choice field needs at least one option", path: ["options"] });
  }
  if (input.type && input.type !== "choice" && input.options?.length) {
    context.addIssue({ code: "custom", message: `a ${input.type} field has no options (only a choice field does)`, path: ["options"] });
  }
}

export const fieldCreateInput = z
  .strictObject({ key: key.optional(), label, type, options: options.optional(), required: z.boolean().default(false) })
  .superRefine((input, context) => {
    if (input.type === "choice" && !input.options?.length) {
      context.addIssue({ code: "custom", message: "a choice field needs at least one option", path: ["options"] });
    }
    checkOptions(input, context);
  });
export type FieldCreateInput = z.infer<typeof fieldCreateInput>;

export const fieldUpdateInput = z
  .strictObject({ key, label: label.optional(), type: type.optional(), options: options.nullable().optional(), required: z.boolean().optional() })
  .superRefine(checkOptions);
export type FieldUpdateInput = z.infer<typeof fieldUpdateInput>;

export const fieldKeyInput = z.object({ key });
