import type { FieldDefinition } from "../products/custom-fields/field-values.schema.js";
import { HeaderColumns } from "./header-columns.js";
import { attributeKeyOf, attributeTarget, isAttributeTarget, type ColumnMapping, type MappingTarget } from "./mapping.schema.js";

/** A custom field the file maps: its column, and how a row's message names it. */
export interface AttributeColumn {
  field: FieldDefinition;
  index: number;
  label: string;
}

/**
 * The columns a file names after the team's own fields, for a mapping the file's header decides
 * (not one chosen): `attributes.<key>` (what the export writes), the key, or the field's label,
 * compared as header names are. A column another field takes already is left to it.
 */
export function matchFieldColumns(columns: HeaderColumns, fields: readonly FieldDefinition[], mapping: ColumnMapping): ColumnMapping {
  if (!fields.length) return mapping;
  const taken = new Set(Object.values(mapping).map((name) => columns.indexOf(name!)));
  const matched: ColumnMapping = { ...mapping };
  for (const field of fields) {
    const target = attributeTarget(field.key);
    if (matched[target] !== undefined) continue;
    const at = [target, field.key, field.label].map((name) => columns.indexOf(name)).find((index) => index !== -1 && !taken.has(index));
    if (at === undefined) continue;
    matched[target] = columns.header[at]!;
    taken.add(at);
  }
  return matched;
}

/** The mapping's `attributes.<key>` targets, in the order of the fields; a key no field has is named. */
export function attributeTargets(mapping: ColumnMapping, fields: readonly FieldDefinition[]): { fields: FieldDefinition[]; unknown: string[] } {
  const byKey = new Map(fields.map((field) => [field.key, field]));
  const mapped = (Object.keys(mapping) as MappingTarget[]).filter(isAttributeTarget).filter((target) => mapping[target] !== undefined);
  return {
    fields: fields.filter((field) => mapping[attributeTarget(field.key)] !== undefined),
    unknown: mapped.filter((target) => !byKey.has(attributeKeyOf(target))),
  };
}

/** What kind of values a column holds, from its first values: what "New field from this column" offers. */
export function suggestFieldType(values: readonly string[]): "number" | "integer" | "boolean" | "date" | "url" | "list" | "text" {
  const cells = values.map((value) => value.trim()).filter(Boolean);
  if (!cells.length) return "text";
  const all = (pattern: RegExp) => cells.every((cell) => pattern.test(cell));
  if (all(/^-?\d{1,9}$/)) return "integer";
  if (all(/^-?\d+(?:[.,]\d+)?$/)) return "number";
  if (all(/^(?:true|false|yes|no|active|inactive)$/i)) return "boolean";
  if (all(/^\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+Z?)?$|^\d{1,2}\.\d{1,2}\.\d{4}$/)) return "date";
  if (all(/^https?:\/\/\S+$/i)) return "url";
  if (cells.some((cell) => cell.includes(",")) && all(/^[^,]{1,60}(?:\s*,\s*[^,]{1,60})+$|^[^,]{1,60}$/)) return "list";
  return "text";
}
