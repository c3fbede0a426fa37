import { COMMERCE_FIELD_SPECS, type CommerceField } from "./commerce-fields.schema.js";
import {
  readBarcode,
  readCategory,
  readInteger,
  readMoney,
  readTags,
  readText,
  readWeight,
  type DecimalSeparator,
  type Read,
  type WeightUnit,
} from "./read-values.js";

/** What a commerce field's value is stored as. */
export type CommerceValue = string | number | string[];

/** How the text of a value is written: in a file, what its header and platform say; through the API, plainly. */
export interface ValueReading {
  decimal: DecimalSeparator;
  weightUnit?: WeightUnit;
  /** How the platform writes category paths: several separated by `list` (the first is kept), segments by `path`. */
  categories?: { list?: string; path: string; roots?: string[] } | null;
}

/** The first of several paths a platform writes in one cell (WooCommerce's `A > B, C`). */
function firstPath(raw: string, list: string | undefined): string {
  if (!list) return raw;
  return raw.split(list).find((path) => path.trim()) ?? "";
}

/** A commerce field's non-empty text read as its stored value, by the one rule the importer and the API share. */
export function readCommerceValue(field: CommerceField, raw: string, reading: ValueReading): Read<CommerceValue> {
  const spec: { kind: string; max?: number } = COMMERCE_FIELD_SPECS[field];
  switch (spec.kind) {
    case "money":
      return readMoney(raw, reading.decimal);
    case "integer":
      return readInteger(raw, reading.decimal);
    case "weight":
      return readWeight(raw, reading.decimal, reading.weightUnit);
    case "category": {
      const paths = reading.categories;
      return readCategory(firstPath(raw, paths?.list), spec.max!, { separator: paths?.path, roots: paths?.roots });
    }
    case "tags":
      return readTags(raw);
    default:
      return field === "barcode" ? readBarcode(raw, spec.max!) : readText(raw, spec.max!);
  }
}
