import type { WeightUnit } from "../products/commerce-values.schema.js";
import { normalizeHeaderName } from "./header-name.js";

/** Words a header uses for a unit of weight (`Weight (kg)`, `Variant Grams`, `poids_kg`, `Gewicht in Gramm`). */
const UNIT_WORDS: [RegExp, WeightUnit][] = [
  [/\b(?:kg|kgs|kilo|kilos|kilogram|kilograms|kilogramm|kilogramme|kilogrammes)\b/, "kg"],
  [/\b(?:lb|lbs|pound|pounds)\b/, "lb"],
  [/\b(?:oz|ounce|ounces)\b/, "oz"],
  [/\b(?:g|gr|gram|grams|gramm|gramme|grammes)\b/, "g"],
];

/** The unit a weight column's header names; grams when it names none (the field is in grams). */
export function weightUnitOf(header: string): WeightUnit {
  const name = normalizeHeaderName(header).replace(/[()[\]]/g, " ");
  return UNIT_WORDS.find(([words]) => words.test(name))?.[1] ?? "g";
}
