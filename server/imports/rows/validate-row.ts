import type { StagedRow } from "../staging/staged-row.js";
import { FIELD_LIMITS, hasNul, lengthOver, normalizeName, normalizeSku } from "../../products/product-rules.schema.js";

export interface RejectedRow {
  line: number;
  message: string;
  fields: string[];
}

/** U+FFFD is what decoding leaves where the file's bytes were not valid UTF-8. */
const UNSTORABLE = /[\0\uFFFD]/;

function problemWith(label: string, value: string, limit: number): string | null {
  if (UNSTORABLE.test(value)) {
    return hasNul(value) ? `${label} contains a NUL byte` : `${label} is not valid UTF-8 text (save the file as UTF-8)`;
  }
  const length = lengthOver(value, limit);
  return length ? `${label} is ${length} characters long; the limit is ${limit}` : null;
}

/** A row's values as its columns gave them (formula marks already taken off). */
export interface RowValues {
  sku: string;
  name: string;
  description: string;
  /** The active cell as written, or null when the file has no such column. */
  active: string | null;
}

/** How a row's values are judged: the field names for messages, and which active values count. */
export interface RowRules {
  labels: Record<"sku" | "name" | "description" | "active", string>;
  readActive: (raw: string) => boolean | null | undefined;
  activeSpellings: string;
}

/** Applies the import semantics to one row: an accepted row for staging, or why it was rejected. */
export function validateRow(values: RowValues, rules: RowRules, line: number, fields: string[]): { accepted: StagedRow } | { rejected: RejectedRow } {
  const sku = normalizeSku(values.sku);
  const name = normalizeName(values.name);
  const { description } = values;
  const { labels } = rules;
  if (!sku) return rejection(line, `${labels.sku} is empty`, fields);
  if (!name) return rejection(line, `${labels.name} is empty`, fields);
  const problem =
    problemWith(labels.sku, sku, FIELD_LIMITS.sku) ??
    problemWith(labels.name, name, FIELD_LIMITS.name) ??
    problemWith(labels.description, description, FIELD_LIMITS.description);
  if (problem) return rejection(line, problem, fields);

  let active: boolean | null = null;
  if (values.active !== null) {
    const parsed = rules.readActive(values.active);
    if (parsed === undefined) return rejection(line, `${labels.active} must be ${rules.activeSpellings} (found "${values.active}")`, fields);
    active = parsed;
  }
  return { accepted: { line, sku, name, description, active } };
}

export function rejection(line: number, message: string, fields: string[]) {
  return { rejected: { line, message, fields } };
}
