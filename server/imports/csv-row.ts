import type { ColumnMap } from "./csv-columns.js";
import { withoutFormulaMark } from "../csv/formula-cells.js";
import { ACTIVE_SPELLINGS, FIELD_LIMITS, hasNul, lengthOver, normalizeName, normalizeSku, parseActive } from "../products/product-rules.js";

export interface AcceptedRow {
  line: number;
  sku: string;
  name: string;
  description: string;
  active: boolean | null;
}

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

function rejection(line: number, message: string, fields: string[]) {
  return { rejected: { line, message, fields } };
}

/** Applies the import semantics to one record: an accepted row for staging, or why it was rejected. */
export function validateRow(fields: string[], columns: ColumnMap, line: number): { accepted: AcceptedRow } | { rejected: RejectedRow } {
  if (fields.length !== columns.width) {
    return rejection(line, `expected ${columns.width} fields but found ${fields.length}`, fields);
  }
  const sku = normalizeSku(withoutFormulaMark(fields[columns.sku]!));
  const name = normalizeName(withoutFormulaMark(fields[columns.name]!));
  const description = columns.description === null ? "" : withoutFormulaMark(fields[columns.description]!);
  if (!sku) return rejection(line, "sku is empty", fields);
  if (!name) return rejection(line, "name is empty", fields);
  const problem =
    problemWith("sku", sku, FIELD_LIMITS.sku) ??
    problemWith("name", name, FIELD_LIMITS.name) ??
    problemWith("description", description, FIELD_LIMITS.description);
  if (problem) return rejection(line, problem, fields);

  let active: boolean | null = null;
  if (columns.active !== null) {
    const raw = fields[columns.active]!;
    const parsed = parseActive(raw);
    if (parsed === undefined) {
      return rejection(line, `active must be ${ACTIVE_SPELLINGS} (found "${raw}")`, fields);
    }
    active = parsed;
  }
  return { accepted: { line, sku, name, description, active } };
}

/** A record is a blank line when it is one field of nothing but white space. */
export function isBlankRecord(fields: string[]): boolean {
  return fields.length === 1 && fields[0]!.trim() === "";
}

/** Physical lines a record spans: one, plus the line breaks inside its quoted fields. */
const LINE_BREAK = /[\r\n]/;
const LINE_BREAKS = /\r\n|\r|\n/g;

export function linesSpanned(fields: string[]): number {
  let lines = 1;
  for (const field of fields) {
    if (LINE_BREAK.test(field)) lines += field.match(LINE_BREAKS)!.length;
  }
  return lines;
}
