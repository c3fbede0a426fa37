import { FIELD_TYPES, type AttributeValue, type FieldType } from "../../../db/schema.js";

export { FIELD_TYPES, type FieldType };
import { DecimalSeparator, readInteger, readNumber, readTags, readText, type Read } from "../commerce-values.schema.js";
import { parseActive, ACTIVE_SPELLINGS } from "../product-rules.schema.js";

/**
 * How a custom field's value is read, declared once for the importer (a file's cells, in the parse
 * worker: zod-free), the API (`products.create` / `update`, the product form) and a type change
 * (every stored value converted by the same rule). Problems are worded to follow `<label> "<value>"`.
 */

/** A field as reading its values needs it (CONTRACT.md's `Field`, without its dates). */
export interface FieldDefinition {
  key: string;
  label: string;
  type: FieldType;
  options: string[] | null;
  required: boolean;
}

/** A field's key: what `attributes.<key>` and a file's `attributes.<key>` column name it by. */
export const FIELD_KEY = /^[a-z][a-z0-9_]{0,62}$/;
export const FIELD_LIMITS = { label: 100, options: 500, option: 255 } as const;

/** How each type reads to a person (the Fields page, the mapping step). */
export const FIELD_TYPE_LABELS: Record<FieldType, string> = {
  text: "Text",
  number: "Number",
  integer: "Whole number",
  boolean: "Yes / no",
  date: "Date",
  url: "Web address",
  choice: "Choice",
  list: "List of text",
};

/** Types whose values have an order: filtered by a range (`{ min, max }`) and given a range index. */
export const RANGE_TYPES: readonly FieldType[] = ["number", "integer", "date"];

/** Longest text and URL values, in characters. */
export const FIELD_VALUE_LIMITS = { text: 5_000, url: 2_048 } as const;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/;
/** Day first with dots, as a German or French spreadsheet writes a date (`31.12.2026`). */
const DOTTED_DATE = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/;

/** A calendar date as `YYYY-MM-DD`: ISO (a time after it is dropped) or day-first with dots. */
export function readDate(raw: string): Read<string> {
  const text = raw.trim();
  const iso = ISO_DATE.exec(text);
  const dotted = iso ? null : DOTTED_DATE.exec(text);
  const [year, month, day] = iso ? [iso[1]!, iso[2]!, iso[3]!] : dotted ? [dotted[3]!, dotted[2]!.padStart(2, "0"), dotted[1]!.padStart(2, "0")] : [];
  if (!year) return { problem: "is not a date (write it as YYYY-MM-DD)" };
  const date = new Date(`${year}-${month}-${day}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.getUTCDate() !== Number(day)) return { problem: "is not a date on the calendar" };
  return { value: `${year}-${month}-${day}` };
}

/** An absolute http(s) URL. */
export function readUrl(raw: string): Read<string> {
  const text = raw.trim();
  const length = readText(text, FIELD_VALUE_LIMITS.url);
  if ("problem" in length) return length;
  if (!/^https?:\/\//i.test(text) || !URL.canParse(text)) return { problem: "is not a web address (http:// or https://)" };
  return { value: text };
}

/** A field's options by their lower case, made once per list (an import reads the same field half a million times). */
const optionLookups = new WeakMap<readonly string[], Map<string, string>>();
function optionsByCase(options: readonly string[]): Map<string, string> {
  let lookup = optionLookups.get(options);
  if (!lookup) {
    // The first option of a spelling wins, as a search in order would find it.
    lookup = new Map([...options].reverse().map((option) => [option.toLowerCase(), option]));
    optionLookups.set(options, lookup);
  }
  return lookup;
}

/** One of the field's options, matched without regard to case or surrounding spaces; stored as the option is spelled. */
export function readChoice(raw: string, options: readonly string[]): Read<string> {
  const option = optionsByCase(options).get(raw.trim().toLowerCase());
  if (option !== undefined) return { value: option };
  const listed = options.length > 12 ? `${options.slice(0, 12).join(", ")}, …` : options.join(", ");
  return { problem: `is not one of the options (${listed})` };
}

export function readBoolean(raw: string): Read<boolean> {
  const value = parseActive(raw);
  return value === undefined ? { problem: `is not yes or no (write ${ACTIVE_SPELLINGS})` } : { value };
}

/** A non-empty cell's text read as the field's stored value. */
export function readFieldText(field: Pick<FieldDefinition, "type" | "options">, raw: string, decimal: DecimalSeparator): Read<AttributeValue> {
  switch (field.type) {
    case "text":
      return readText(raw, FIELD_VALUE_LIMITS.text);
    case "number": {
      const read = readNumber(raw, decimal);
      return "problem" in read ? read : { value: Number(read.value) };
    }
    case "integer":
      return readInteger(raw, decimal);
    case "boolean":
      return readBoolean(raw);
    case "date":
      return readDate(raw);
    case "url":
      return readUrl(raw);
    case "choice":
      return readChoice(raw, field.options ?? []);
    case "list":
      return readTags(raw);
  }
}

/**
 * A value as the API gives it (a number, a boolean, a list, or text read as a file's cell would be)
 * as the field's stored value; undefined for "no value" (null, blank text, an empty list).
 */
export function readFieldInput(field: Pick<FieldDefinition, "type" | "options">, given: unknown): Read<AttributeValue> | undefined {
  if (given === null || given === undefined) return undefined;
  if (typeof given === "string") return given.trim() === "" ? undefined : readFieldText(field, given, DecimalSeparator.of("auto"));
  if (typeof given === "number" && Number.isFinite(given) && ["number", "integer", "text"].includes(field.type)) {
    return readFieldText(field, String(given), DecimalSeparator.of("."));
  }
  if (typeof given === "boolean" && (field.type === "boolean" || field.type === "text"))
    return { value: field.type === "text" ? String(given) : given };
  if (Array.isArray(given) && given.every((item) => typeof item === "string")) {
    if (field.type !== "list") return { problem: `is a list; this field holds one ${field.type} value` };
    const read = readTags(given);
    return "value" in read && read.value.length === 0 ? undefined : read;
  }
  return { problem: `is not a ${field.type} value` };
}

/** A stored value as a file's cell writes it (the export), so importing it back reads the same value. */
export function fieldValueText(value: AttributeValue | undefined): string {
  if (value === undefined) return "";
  if (Array.isArray(value)) return value.join(", ");
  return String(value);
}

/** `"12.5"`, `true`, `["a"]` as a message quotes a value. */
export const shownValue = (value: unknown) => {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return `"${text.length > 60 ? `${text.slice(0, 57)}...` : text}"`;
};
