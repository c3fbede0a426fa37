import type { ColumnMap } from "./csv-columns.js";
import { withoutFormulaMark } from "../csv/formula-cells.js";

export const LIMITS = { sku: 255, name: 1000, description: 100_000 } as const;

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

const ACTIVE_WORDS = new Map<string, boolean>([
  ["true", true], ["yes", true], ["1", true], ["active", true],
  ["false", false], ["no", false], ["0", false], ["inactive", false],
]);

const NON_ASCII = /[^\x00-\x7f]/;

/** Characters as Postgres counts them (code points), computed only near the limit. */
function tooLong(value: string, limit: number): number | null {
  if (value.length <= limit) return null;
  const codePoints = [...value].length;
  return codePoints > limit ? codePoints : null;
}

const UNSTORABLE = /[\0\uFFFD]/;

function problemWith(label: string, value: string, limit: number): string | null {
  if (UNSTORABLE.test(value)) {
    return value.includes("\0") ? `${label} contains a NUL byte` : `${label} is not valid UTF-8 text (save the file as UTF-8)`;
  }
  const length = tooLong(value, limit);
  return length ? `${label} is ${length} characters long; the limit is ${limit}` : null;
}

function rejection(line: number, message: string, fields: string[]) {
  return { rejected: { line, message, fields } };
}

export function parseActive(value: string): boolean | undefined {
  return ACTIVE_WORDS.get(value.trim().toLowerCase());
}

/** Applies the import semantics to one record: an accepted row for staging, or why it was rejected. */
export function validateRow(
  fields: string[],
  columns: ColumnMap,
  line: number,
): { accepted: AcceptedRow } | { rejected: RejectedRow } {
  if (fields.length !== columns.width) {
    return rejection(line, `expected ${columns.width} fields but found ${fields.length}`, fields);
  }
  let sku = withoutFormulaMark(fields[columns.sku]!).trim();
  if (NON_ASCII.test(sku)) sku = sku.normalize("NFC");
  const name = withoutFormulaMark(fields[columns.name]!).trim();
  const description = columns.description === null ? "" : withoutFormulaMark(fields[columns.description]!);
  if (!sku) return rejection(line, "sku is empty", fields);
  if (!name) return rejection(line, "name is empty", fields);
  const problem =
    problemWith("sku", sku, LIMITS.sku) ??
    problemWith("name", name, LIMITS.name) ??
    problemWith("description", description, LIMITS.description);
  if (problem) return rejection(line, problem, fields);

  let active: boolean | null = null;
  if (columns.active !== null) {
    const raw = fields[columns.active]!;
    const parsed = parseActive(raw);
    if (parsed === undefined) {
      return rejection(line, `active must be true/false, yes/no, 1/0 or active/inactive (found "${raw}")`, fields);
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
