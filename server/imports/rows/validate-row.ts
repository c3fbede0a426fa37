import { commerceColumnOf, type StagedRow } from "../staging/staged-row.js";
import { FIELD_LIMITS, hasNul, lengthOver, normalizeName, normalizeSku } from "../../products/product-rules.schema.js";
import { readCommerceValue, readMoney, type DecimalSeparator } from "../../products/commerce-values.schema.js";
import type { CommerceColumn } from "../../mappings/resolve-columns.js";
import type { TargetField } from "../../mappings/mapping.schema.js";
import type { AttributeColumn } from "../../mappings/attribute-columns.js";
import { readFieldText } from "../../products/custom-fields/field-values.schema.js";
import { readImages, readOptions } from "../../products/variant-values.schema.js";

export interface RejectedRow {
  line: number;
  message: string;
  fields: string[];
  /** The field at fault (`price`, `attributes.<key>`), when one cell is; absent for the row as a whole. */
  field?: string;
}

/** Why a row cannot be taken, and the field at fault when one is. */
interface Problem {
  message: string;
  field?: string;
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

/** The field a custom field's problem is at (built only when there is one: not per row). */
const attributeField = (key: string) => `attributes.${key}`;

/** A row's values as its columns gave them (formula marks already taken off). */
export interface RowValues {
  sku: string;
  name: string;
  description: string;
  /** The active cell as written, or null when the file has no such column. */
  active: string | null;
  /** The commerce fields' cells, in the order of the rules' `commerce` columns. */
  commerce: string[];
  /** The sale price cell, when the file has a sale price column. */
  sale: string | null;
  /** The custom fields' cells, in the order of the rules' `attributes` columns. */
  attributes: string[];
  /** Each option's name and value cells, in the order of the rules' `options` (empty when the file maps none). */
  options: [name: string, value: string][];
  /** Image cells the row takes besides its images column's (a platform's variant image, first; its product's other rows'). */
  images?: { first: string[]; after: string[] };
}

/** A row's values with `from`'s where they are blank: its name, its description, and the commerce cells `inherited` marks. */
export function withBlanksFrom(
  values: RowValues,
  from: Pick<RowValues, "name" | "description" | "commerce">,
  inherited: readonly boolean[],
): RowValues {
  return {
    ...values,
    name: values.name.trim() ? values.name : from.name,
    description: values.description.trim() ? values.description : from.description,
    commerce: values.commerce.map((cell, at) => (inherited[at] && !cell.trim() ? from.commerce[at]! : cell)),
  };
}

/** How a row's values are judged: the field names for messages, which active values count, the commerce columns. */
export interface RowRules {
  labels: Record<TargetField, string>;
  readActive: (raw: string) => boolean | null | undefined;
  activeSpellings: string;
  commerce: CommerceColumn[];
  attributes: AttributeColumn[];
  options: unknown[];
}

/** What a row's values are read with besides the rules: the file's decimal point, the base of relative image paths. */
export interface RowReading {
  decimal: DecimalSeparator;
  imageBase: string | null;
}

/** An accepted row, and what was read but left out of it (an image that is no URL). */
export type RowVerdict = { accepted: StagedRow; warnings?: string[] } | { rejected: RejectedRow };

/** Applies the import semantics to one row: an accepted row for staging, or why it was rejected. */
export function validateRow(values: RowValues, rules: RowRules, reading: RowReading, line: number, fields: string[]): RowVerdict {
  const { decimal } = reading;
  const sku = normalizeSku(values.sku);
  const name = normalizeName(values.name);
  const { description } = values;
  const { labels } = rules;
  if (!sku) return rejection(line, `${labels.sku} is empty`, fields, "sku");
  if (!name) return rejection(line, `${labels.name} is empty`, fields, "name");
  // One call per field, no array per row: this runs half a million times in the parse worker.
  const skuProblem = problemWith(labels.sku, sku, FIELD_LIMITS.sku);
  if (skuProblem) return rejection(line, skuProblem, fields, "sku");
  const nameProblem = problemWith(labels.name, name, FIELD_LIMITS.name);
  if (nameProblem) return rejection(line, nameProblem, fields, "name");
  const descriptionProblem = problemWith(labels.description, description, FIELD_LIMITS.description);
  if (descriptionProblem) return rejection(line, descriptionProblem, fields, "description");

  let active: boolean | null = null;
  if (values.active !== null) {
    const parsed = rules.readActive(values.active);
    if (parsed === undefined)
      return rejection(line, `${labels.active} must be ${rules.activeSpellings} (found "${values.active}")`, fields, "active");
    active = parsed;
  }
  const accepted: StagedRow = { line, sku, name, description, active };
  const warnings: string[] = [];
  const unreadable: Problem | null =
    (rules.commerce.length ? readCommerce(values, rules, reading, accepted, warnings) : null) ??
    (rules.options.length ? readRowOptions(values, accepted) : null) ??
    (rules.attributes.length ? readAttributes(values, rules, decimal, accepted) : null);
  if (unreadable) return rejection(line, unreadable.message, fields, unreadable.field);
  return warnings.length ? { accepted, warnings } : { accepted };
}

function readRowOptions(values: RowValues, accepted: StagedRow): Problem | null {
  const read = readOptions(values.options);
  if ("problem" in read) return { message: read.problem };
  // No option at all is an empty cell: cleared, or kept with `emptyCells=keep`.
  if (!read.value.length) accepted.options = null;
  else {
    // Written out as it is read: no array of objects per row to stringify.
    let json = "";
    for (const option of read.value) json += `${json ? "," : ""}{"name":${JSON.stringify(option.name)},"value":${JSON.stringify(option.value)}}`;
    accepted.options = `[${json}]`;
  }
  return null;
}

/**
 * The custom fields' cells as one JSON object for the staging table: an empty cell is left out
 * (the merge then clears or keeps the value, as `emptyCells` says), unless the field is required.
 */
function readAttributes(values: RowValues, rules: RowRules, decimal: DecimalSeparator, accepted: StagedRow): Problem | null {
  // Written out as it is read (keys are plain identifiers): no object per row to build and stringify.
  let json = "";
  for (let at = 0; at < rules.attributes.length; at += 1) {
    const { field, label } = rules.attributes[at]!;
    const raw = values.attributes[at]!;
    if (UNSTORABLE.test(raw)) return { message: problemWith(label, raw, Infinity)!, field: attributeField(field.key) };
    if (raw.trim() === "") {
      if (field.required) return { message: `${label} is required`, field: attributeField(field.key) };
      continue;
    }
    const value = readFieldText(field, raw, decimal);
    if ("problem" in value) return { message: valueProblem(label, raw, value.problem), field: attributeField(field.key) };
    json += `${json ? "," : ""}"${field.key}":${JSON.stringify(value.value)}`;
  }
  accepted.attributes = `{${json}}`;
  return null;
}

/** `<field> "<value>" <problem>`, a long value cut short. */
const valueProblem = (label: string, raw: string, problem: string) => `${label} "${raw.length > 60 ? `${raw.slice(0, 57)}...` : raw}" ${problem}`;

/** Reads the row's commerce cells into `accepted` (an empty cell is null); the first problem, if any. */
function readCommerce(values: RowValues, rules: RowRules, reading: RowReading, accepted: StagedRow, warnings: string[]): Problem | null {
  const { decimal } = reading;
  const into = accepted as Record<string, unknown>;
  for (let at = 0; at < rules.commerce.length; at += 1) {
    const column = rules.commerce[at]!;
    const raw = values.commerce[at]!;
    if (column.field === "images") {
      const cells = values.images ? [...values.images.first, raw, ...values.images.after] : [raw];
      const read = readImages(cells, reading.imageBase, rules.labels.images);
      warnings.push(...read.warnings);
      // No image cell at all leaves the product's images as `emptyCells` says; one whose every URL was left out, too.
      accepted.images = read.value.length ? read.value : null;
      continue;
    }
    // A number with either character in it reads as no number anyway; text must say why.
    if (column.isText && UNSTORABLE.test(raw)) return { message: problemWith(rules.labels[column.field], raw, Infinity)!, field: column.field };
    let value = null;
    if (raw.trim() !== "") {
      const read = readCommerceValue(column.field, raw, decimal, column);
      if ("problem" in read) return { message: valueProblem(rules.labels[column.field], raw, read.problem), field: column.field };
      value = read.value;
    }
    into[commerceColumnOf(column.field)] = value;
  }
  if (values.sale === null) return null;
  const sale = applySalePrice(values.sale, decimal, accepted);
  return sale ? { message: sale } : null;
}

/**
 * A platform's sale price above zero is the price the product sells at, and its regular price
 * becomes the compare-at price; without one the compare-at price is the file's own, if any.
 */
function applySalePrice(raw: string, decimal: DecimalSeparator, accepted: StagedRow): string | null {
  accepted.compare_at_price ??= null;
  if (raw.trim() === "") return null;
  const sale = readMoney(raw, decimal);
  if ("problem" in sale) return valueProblem("sale price", raw, sale.problem);
  if (/^0\.0+$/.test(sale.value)) return null;
  accepted.compare_at_price = accepted.price ?? null;
  accepted.price = sale.value;
  return null;
}

export function rejection(line: number, message: string, fields: string[], field?: string) {
  return { rejected: field ? { line, message, fields, field } : { line, message, fields } };
}
