import { sql, type Kysely, type RawBuilder } from "kysely";
import type { AttributeValue, Database } from "../../../db/schema.js";
import { Refusal } from "../../refusal.js";
import { RANGE_TYPES, readFieldInput, shownValue, type FieldDefinition } from "./field-values.schema.js";
import { listFieldRows } from "./fields.table.js";

/** A bound of a range filter, or the value a field must equal (a list field: hold). */
export type AttributeCondition = AttributeValue | { min?: AttributeValue; max?: AttributeValue };

/** Whether a condition (as given, or as read) is a range: an object, not a value or a list. */
const isRange = (condition: unknown): condition is { min?: unknown; max?: unknown } =>
  condition !== null && typeof condition === "object" && !Array.isArray(condition);
/** `products.list`'s `attributes` filter, its values read as the fields store them. */
export type AttributeFilter = Record<string, AttributeCondition>;

const refuse = (key: string, message: string) => new Refusal("invalid", `attributes.${key} ${message}`, { field: `attributes.${key}` });

function readValue(field: FieldDefinition, given: unknown): AttributeValue | undefined {
  // A list field is filtered by one of its items: read as one item of text.
  const read = readFieldInput(field.type === "list" ? { type: "text", options: null } : field, given);
  if (read && "problem" in read) throw refuse(field.key, `${shownValue(given)} ${read.problem}`);
  return read?.value;
}

/**
 * The filter's values read by the fields' own rules (`"12,5"` is 12.5 for a number field, `"slim"`
 * the option `Slim`): an unknown key, a value of the wrong type, or a range on a field without an
 * order is a refusal naming the field. Blank values narrow nothing and are left out.
 */
export async function readAttributeFilter(db: Kysely<Database>, given: Record<string, unknown> | undefined): Promise<AttributeFilter | undefined> {
  if (!given || Object.keys(given).length === 0) return undefined;
  const fields = new Map((await listFieldRows(db)).map((field) => [field.key, field]));
  const filter: AttributeFilter = {};
  for (const [key, condition] of Object.entries(given)) {
    const field = fields.get(key);
    if (!field) throw refuse(key, `is not a field (the fields: ${[...fields.keys()].join(", ") || "none yet"})`);
    if (isRange(condition)) {
      if (!RANGE_TYPES.includes(field.type)) throw refuse(key, `is a ${field.type} field: filter it by a value, not a range`);
      const { min, max } = condition;
      const range = { min: readValue(field, min), max: readValue(field, max) };
      if (range.min !== undefined || range.max !== undefined) filter[key] = range;
      continue;
    }
    const value = readValue(field, condition);
    // A list field holds the value as one of its items: containment of a one-item list.
    if (value !== undefined) filter[key] = field.type === "list" ? [value as string] : value;
  }
  return Object.keys(filter).length ? filter : undefined;
}

/**
 * The filter as conditions. Equality is containment (`@>`), which the GIN index on attributes
 * serves (one condition per field, so the planner can weigh it); a range compares `attributes -> 'key'`,
 * the expression of the field's own index (fields.table.ts), so the key is written literally
 * (checked against FIELD_KEY when the field was made).
 */
export function attributeConditions(filter: AttributeFilter | undefined): RawBuilder<boolean>[] {
  if (!filter) return [];
  return Object.entries(filter).flatMap(([key, condition]) => {
    if (isRange(condition)) {
      const value = sql`attributes -> ${sql.lit(key)}`;
      return [
        ...(condition.min !== undefined ? [sql<boolean>`${value} >= ${JSON.stringify(condition.min)}::jsonb`] : []),
        ...(condition.max !== undefined ? [sql<boolean>`${value} <= ${JSON.stringify(condition.max)}::jsonb`] : []),
      ];
    }
    return [sql<boolean>`attributes @> ${JSON.stringify({ [key]: condition })}::jsonb`];
  });
}

/** Whether the filter bounds a field by a range (its own index serves it). */
export const boundsARange = (filter: AttributeFilter | undefined) => Object.values(filter ?? {}).some(isRange);
