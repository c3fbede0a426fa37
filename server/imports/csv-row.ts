import type { ColumnMap } from "./csv-columns.js";

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

function problemWith(label: string, value: string, limit: number): string | null {
  if (value.includes("\0")) return `${label} contains a NUL byte`;
  if (value.includes("\uFFFD")) return `${label} is not valid UTF-8 text (save the file as UTF-8)`;
  const length = tooLong(value, limit);
  return length ? `${label} is ${length} characters long; the limit is ${limit}` : null;
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
  const reject = (message: string) => ({ rejected: { line, message, fields } });
  if (fields.length !== columns.width) {
    return reject(`expected ${columns.width} fields but found ${fields.length}`);
  }
  let sku = fields[columns.sku]!.trim();
  if (NON_ASCII.test(sku)) sku = sku.normalize("NFC");
  const name = fields[columns.name]!.trim();
  const description = columns.description === null ? "" : fields[columns.description]!;
  if (!sku) return reject("sku is empty");
  if (!name) return reject("name is empty");
  const problem =
    problemWith("sku", sku, LIMITS.sku) ??
    problemWith("name", name, LIMITS.name) ??
    problemWith("description", description, LIMITS.description);
  if (problem) return reject(problem);

  let active: boolean | null = null;
  if (columns.active !== null) {
    const raw = fields[columns.active]!;
    const parsed = parseActive(raw);
    if (parsed === undefined) {
      return reject(`active must be true/false, yes/no, 1/0 or active/inactive (found "${raw}")`);
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
export function linesSpanned(fields: string[]): number {
  let lines = 1;
  for (const field of fields) {
    if (field.length < 1 || (!field.includes("\n") && !field.includes("\r"))) continue;
    const breaks = field.match(/\r\n|\r|\n/g);
    lines += breaks ? breaks.length : 0;
  }
  return lines;
}
