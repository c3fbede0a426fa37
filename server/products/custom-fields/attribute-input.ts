import type { AttributeValues } from "../../../db/schema.js";
import { Refusal } from "../../refusal.js";
import { readFieldInput, shownValue, type FieldDefinition } from "./field-values.schema.js";

/** What an API call's `attributes` does: values to set and keys to clear. */
export interface AttributeChanges {
  set: AttributeValues;
  clear: string[];
}

const refuse = (key: string, message: string) => new Refusal("invalid", `attributes.${key} ${message}`, { field: `attributes.${key}` });

/**
 * Reads `attributes` as `products.create` / `update` take it, by the importer's rules
 * (field-values.schema.ts): an unknown key, a value of the wrong type or outside a choice's options
 * is a refusal naming the field; null (or blank text, an empty list) clears a value. A new product
 * must hold every required field; an edit may not clear one.
 */
export function readAttributeInput(fields: FieldDefinition[], given: Record<string, unknown>, creating: boolean): AttributeChanges {
  const byKey = new Map(fields.map((field) => [field.key, field]));
  const changes: AttributeChanges = { set: {}, clear: [] };
  for (const [key, value] of Object.entries(given)) {
    const field = byKey.get(key);
    if (!field) {
      const known = fields.map((candidate) => candidate.key).join(", ") || "none yet";
      throw refuse(key, `is not a field (the fields: ${known}); define it on the Fields page first`);
    }
    const read = readFieldInput(field, value);
    if (read === undefined) changes.clear.push(key);
    else if ("problem" in read) throw refuse(key, `${shownValue(value)} ${read.problem}`);
    else changes.set[key] = read.value;
  }
  for (const field of fields) {
    if (!field.required) continue;
    const missing = creating ? changes.set[field.key] === undefined : changes.clear.includes(field.key);
    if (missing) throw refuse(field.key, `(${field.label}) is required`);
  }
  return changes;
}
