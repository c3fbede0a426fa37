import {
  CATEGORY_SEPARATOR,
  COMMERCE_FIELD_SPECS,
  DECIMAL_LIMITS,
  STOCK_LIMITS,
  TAG_LIMITS,
  type ScalarCommerceField,
} from "./commerce-fields.schema.js";
import { lengthOver } from "./product-rules.schema.js";
import type { Read } from "./value-read.schema.js";

/**
 * How a typed value is read from text, the one rule the importer (a file's cells) and the API
 * (`products.create` / `update`) share. A reader answers the stored value or what is wrong with the
 * text (value-read.schema.ts).
 */
export type { Read };

/** A decimal as stored: digits, at most one point, no exponent (`"12.50"`, `"-3"`). */
export type DecimalText = string;

/**
 * The decimal separator of the file being read: chosen, or (auto) decided by the first value that
 * shows it and kept for the rest of the file. Until then a value that does not show it (`1,234`) reads with a point.
 */
export class DecimalSeparator {
  constructor(private separator: "." | "," | null) {}

  static of(choice: "." | "," | "auto"): DecimalSeparator {
    return new DecimalSeparator(choice === "auto" ? null : choice);
  }

  get decided(): "." | "," | null {
    return this.separator;
  }

  /** The separator `digits` (only digits, `.` and `,`) is read with: the file's, else the one the value shows. */
  for(digits: string): "." | "," {
    return this.separator ?? separatorShownBy(digits) ?? ".";
  }

  /** A value read as a number with `point` decides the file's separator, if nothing has yet (a typo decides nothing). */
  readWith(point: "." | ",", digits: string): void {
    if (!this.separator && separatorShownBy(digits)) this.separator = point;
  }
}

/**
 * Which character a number uses as its decimal point, when it says so: the later of two different
 * marks (`1.234,56`), a mark written twice is a thousands one (`1.234.567`), and one mark not
 * followed by exactly three digits is the point (`12,50`). `1,234` says nothing.
 */
function separatorShownBy(digits: string): "." | "," | null {
  const dot = digits.lastIndexOf(".");
  const comma = digits.lastIndexOf(",");
  if (dot !== -1 && comma !== -1) return dot > comma ? "." : ",";
  const at = Math.max(dot, comma);
  if (at === -1) return null;
  const mark = digits[at] as "." | ",";
  if (digits.indexOf(mark) !== at) return mark === "." ? "," : ".";
  return digits.length - at - 1 === 3 ? null : mark;
}

/** A currency symbol or ISO code before the number (after its sign, if any) or after it, with optional spaces. */
const CURRENCY_BEFORE = /^([+-]?)\s*(?:\p{Sc}|[A-Z]{3})\s*/u;
const CURRENCY_AFTER = /\s*(?:\p{Sc}|[A-Z]{3})$/u;
/** Spaces and apostrophes between digit groups (`1 234,50`, `1'234.50`, a no-break space). */
const GROUP_SPACES = /(?<=\d)[\s\u00a0\u202f'’](?=\d)/g;
const NUMBER_SHAPE = /^[+-]?(?:\d[\d.,]*|[.,]\d+)$/;
const SCIENTIFIC = /^[+-]?\d+(?:[.,]\d+)?e[+-]?\d+$/i;

/** Thousands marks only between groups of three: `1,234,567`, never `12,34`. */
const GROUPED = { ",": /^\d{1,3}(?:,\d{3})+$/, ".": /^\d{1,3}(?:\.\d{3})+$/ };
/** What nearly every cell of an export holds: digits, and perhaps one point (or comma) and more digits. */
const PLAIN = { ".": /^(-?)(\d+)(?:\.(\d+))?$/, ",": /^(-?)(\d+)(?:,(\d+))?$/ };

/**
 * A plain number (`12.50`, `-3`, `12,50` in a comma file) read without the slower general path:
 * half a million rows of eight fields each read it millions of times. One that could still mean
 * thousands (`1,234` before the file has shown its separator) takes the general path.
 */
function plainParts(raw: string, separator: DecimalSeparator): { negative: boolean; whole: string; fraction: string } | undefined {
  const decided = separator.decided;
  for (const point of [".", ","] as const) {
    if (decided && decided !== point) continue;
    const match = PLAIN[point].exec(raw);
    if (!match) continue;
    const fraction = match[3] ?? "";
    if (!decided && fraction.length === 3 && point === ",") return undefined;
    if (!decided && fraction) separator.readWith(point, fraction.length === 3 ? "" : `0${point}${fraction}`);
    return { negative: match[1] === "-", whole: match[2]!, fraction };
  }
  return undefined;
}

/** `raw` as a decimal's sign, integer digits and fraction digits, or undefined when it is not a number. */
function decimalParts(raw: string, separator: DecimalSeparator): { negative: boolean; whole: string; fraction: string } | undefined {
  const plain = plainParts(raw, separator);
  if (plain) return plain;
  const text = raw.trim().replace(CURRENCY_BEFORE, "$1").replace(CURRENCY_AFTER, "").replace(GROUP_SPACES, "");
  if (!NUMBER_SHAPE.test(text)) return undefined;
  const negative = text.startsWith("-");
  const digits = text.replace(/^[+-]/, "");
  const point = separator.for(digits);
  const group = point === "." ? "," : ".";
  const [whole = "", fraction = "", extra] = digits.split(point);
  if (extra !== undefined || fraction.includes(group)) return undefined;
  if (whole.includes(group) && !GROUPED[group].test(whole)) return undefined;
  separator.readWith(point, digits);
  return { negative, whole: whole.replaceAll(group, ""), fraction };
}

/** Digits without their trailing zeros. */
function withoutTrailingZeros(digits: string): string {
  let end = digits.length;
  while (end > 0 && digits.charCodeAt(end - 1) === 48) end -= 1;
  return end === digits.length ? digits : digits.slice(0, end);
}

/** The canonical text of a decimal: no leading zeros, no trailing fraction zeros, at least `minScale` decimals. */
function canonical(parts: { negative: boolean; whole: string; fraction: string }, minScale = 0): DecimalText {
  const whole = parts.whole.length > 1 && parts.whole[0] === "0" ? parts.whole.replace(/^0+(?=\d)/, "") : parts.whole || "0";
  const significant = withoutTrailingZeros(parts.fraction);
  const fraction = significant.length < minScale ? significant.padEnd(minScale, "0") : significant;
  const zero = whole === "0" && significant === "";
  return `${parts.negative && !zero ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
}

/** Why a cell does not read as a number: a spreadsheet's scientific notation, or the file's separator, said so. */
function whyNotANumber(raw: string, separator: DecimalSeparator): string {
  if (SCIENTIFIC.test(raw.trim())) return "is written in scientific notation; write the number out";
  return separator.decided === "," ? "is not a number (this file writes decimals with a comma)" : "is not a number";
}

function limitProblem(parts: { whole: string; fraction: string }, fractionDigits: string): string | null {
  if (fractionDigits.length > DECIMAL_LIMITS.scale) return `has more than ${DECIMAL_LIMITS.scale} decimals`;
  if ((parts.whole.replace(/^0+/, "") || "").length > DECIMAL_LIMITS.integerDigits) return "is too large (at most 999,999,999,999.9999)";
  return null;
}

/**
 * Cells already written as their value is stored (`19.99` for a price, `12` for stock), which is
 * what nearly every cell of an export holds: taken as they are, not taken apart and put together
 * again. A point counts only once the file's separator is known to be one (until then the general
 * path reads the value and decides it).
 */
const AS_STORED = {
  money: /^(?:0|[1-9]\d{0,11})\.\d\d$/,
  integer: /^(?:0|-?[1-9]\d{0,8})$/,
  whole: /^(?:0|[1-9]\d{0,11})$/,
  decimal: /^(?:0|-?[1-9]\d{0,11})(?:\.\d{0,3}[1-9])?$/,
};

/** A price: a non-negative decimal of at most four decimals, shown with at least two (`12.5` → `"12.50"`). */
export function readMoney(raw: string, separator: DecimalSeparator): Read<DecimalText> {
  if (separator.decided === "." && AS_STORED.money.test(raw)) return { value: raw };
  const parts = decimalParts(raw, separator);
  if (!parts) return { problem: whyNotANumber(raw, separator) };
  const tooMuch = limitProblem(parts, withoutTrailingZeros(parts.fraction));
  if (tooMuch) return { problem: tooMuch };
  const value = canonical(parts, 2);
  if (value.startsWith("-")) return { problem: "is negative; a price is 0 or more" };
  return { value };
}

/** A decimal that may be negative (a custom number field), within the same limits as a price. */
export function readNumber(raw: string, separator: DecimalSeparator): Read<DecimalText> {
  if (AS_STORED.decimal.test(raw) && (separator.decided === "." || !raw.includes("."))) return { value: raw };
  const parts = decimalParts(raw, separator);
  if (!parts) return { problem: whyNotANumber(raw, separator) };
  const tooMuch = limitProblem(parts, withoutTrailingZeros(parts.fraction));
  return tooMuch ? { problem: tooMuch } : { value: canonical(parts) };
}

/** Stock: a whole number, negative for backorders (`12`, `-3`, `1,200`, `12.0`). */
export function readInteger(raw: string, separator: DecimalSeparator): Read<number> {
  if (AS_STORED.integer.test(raw)) return { value: Number(raw) };
  const parts = decimalParts(raw, separator);
  if (!parts) return { problem: whyNotANumber(raw, separator) };
  if (withoutTrailingZeros(parts.fraction)) return { problem: "is not a whole number" };
  const value = Number(canonical(parts));
  if (value < STOCK_LIMITS.min || value > STOCK_LIMITS.max) return { problem: `is out of range (${STOCK_LIMITS.min} to ${STOCK_LIMITS.max})` };
  return { value };
}

/** Grams per unit a weight column's header may name, as exact decimals. */
export const WEIGHT_UNITS = { g: "1", kg: "1000", lb: "453.59237", oz: "28.349523125" } as const;
export type WeightUnit = keyof typeof WEIGHT_UNITS;

/** `a × b` of two non-negative decimal texts, exactly, rounded half up to `scale` decimals. */
function multiply(a: { whole: string; fraction: string }, b: DecimalText, scale: number): { whole: string; fraction: string } {
  const [bWhole, bFraction = ""] = b.split(".");
  const product = BigInt(a.whole + a.fraction || "0") * BigInt(bWhole! + bFraction);
  const shift = a.fraction.length + bFraction.length;
  const rounded =
    shift > scale ? (product + 5n * 10n ** BigInt(shift - scale - 1)) / 10n ** BigInt(shift - scale) : product * 10n ** BigInt(scale - shift);
  const digits = rounded.toString().padStart(scale + 1, "0");
  return { whole: digits.slice(0, digits.length - scale), fraction: digits.slice(digits.length - scale) };
}

/** A weight in `unit`, as grams (exact, to the milligram). */
export function readWeight(raw: string, separator: DecimalSeparator, unit: WeightUnit = "g"): Read<DecimalText> {
  if (unit === "g" && AS_STORED.whole.test(raw)) return { value: raw };
  const parts = decimalParts(raw, separator);
  if (!parts) return { problem: whyNotANumber(raw, separator) };
  if (parts.negative && !/^0*$/.test(parts.whole + parts.fraction)) return { problem: "is negative; a weight is 0 or more" };
  // Grams to the milligram: only a finer value needs the arithmetic.
  const grams = unit === "g" && parts.fraction.length <= 3 ? parts : multiply(parts, WEIGHT_UNITS[unit], 3);
  const tooMuch = limitProblem(grams, withoutTrailingZeros(grams.fraction));
  if (tooMuch) return { problem: tooMuch };
  return { value: canonical({ negative: false, ...grams }) };
}

/** Text that fits its column: trimmed, at most `max` characters. */
export function readText(raw: string, max: number): Read<string> {
  const value = raw.trim();
  const length = lengthOver(value, max);
  return length ? { problem: `is ${length} characters long; the limit is ${max}` } : { value };
}

/** A barcode as a spreadsheet may have mangled it (`4.00638E+12`) is refused: its digits are gone. */
export function readBarcode(raw: string, max: number): Read<string> {
  if (SCIENTIFIC.test(raw.trim()))
    return { problem: "was turned into scientific notation by a spreadsheet; its digits are lost (format the column as text)" };
  return readText(raw, max);
}

/**
 * A category path: its segments trimmed and joined by ` > ` (`Apparel>Shirts` → `Apparel > Shirts`).
 * `separator` is how the file writes a path (`/` in a Magento export); `roots` are segments the
 * platform puts before every path (Magento's `Default Category`), left out.
 */
export function readCategory(raw: string, max: number, path: { separator?: string; roots?: string[] } = {}): Read<string> {
  // Most cells are written as stored already (`Apparel > Shirts`): nothing to take apart.
  if (!path.separator && !path.roots && raw.length <= max && STORED_PATH.test(raw)) return readText(raw, max);
  const segments = raw
    .split(path.separator ?? ">")
    .map((segment) => segment.trim())
    .filter(Boolean);
  while (segments.length > 1 && path.roots?.includes(segments[0]!)) segments.shift();
  return readText(segments.join(CATEGORY_SEPARATOR), max);
}

/** A path as stored: segments without surrounding spaces, joined by ` > `. */
const STORED_PATH = /^[^>\s](?:[^>]*[^>\s])?(?: > [^>\s](?:[^>]*[^>\s])?)*$/;

/** Tags: split on commas, trimmed, empty ones and repeats (by case) dropped, the first spelling and order kept. */
export function readTags(raw: string | readonly string[]): Read<string[]> {
  const given = typeof raw === "string" ? raw.split(",") : raw;
  const tags: string[] = [];
  // A handful of tags per product: comparing with the few kept beats hashing each.
  const seen: string[] = [];
  for (const tag of given) {
    const value = tag.trim();
    if (!value) continue;
    if (typeof raw !== "string" && value.includes(",")) return { problem: `has the tag "${value}" with a comma; a tag cannot hold one` };
    const length = lengthOver(value, TAG_LIMITS.length);
    if (length) return { problem: `has a tag ${length} characters long; the limit is ${TAG_LIMITS.length}` };
    const key = value.toLowerCase();
    if (seen.includes(key)) continue;
    seen.push(key);
    tags.push(value);
  }
  if (tags.length > TAG_LIMITS.count) return { problem: `has ${tags.length} tags; the limit is ${TAG_LIMITS.count}` };
  return { value: tags };
}

/** What a commerce field's value is stored as. */
export type CommerceValue = string | number | string[];

/** How a column writes its values: what its header and platform say (through the API, nothing). */
export interface ValueReading {
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
export function readCommerceValue(
  field: ScalarCommerceField,
  raw: string,
  decimal: DecimalSeparator,
  reading: ValueReading = {},
): Read<CommerceValue> {
  const spec: { kind: string; max?: number } = COMMERCE_FIELD_SPECS[field];
  switch (spec.kind) {
    case "money":
      return readMoney(raw, decimal);
    case "integer":
      return readInteger(raw, decimal);
    case "weight":
      return readWeight(raw, decimal, reading.weightUnit);
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
