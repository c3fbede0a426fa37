import type { Kysely } from "kysely";
import type { AttributeValue, Database } from "../../../db/schema.js";
import { Refusal } from "../../refusal.js";
import { DecimalSeparator } from "../commerce-values.schema.js";
import { isReservedKey, keyFromLabel, RANGE_TYPES, type FieldCreateInput, type FieldUpdateInput } from "./custom-field.schema.js";
import { fieldValueText, readFieldText, shownValue, type FieldDefinition } from "./field-values.schema.js";
import {
  clearValues,
  createRangeIndex,
  deleteFieldRow,
  distinctValues,
  dropRangeIndex,
  findFieldRow,
  insertFieldRow,
  listFieldRows,
  rewriteValues,
  updateFieldRow,
  valueHolders,
  type FieldRow,
} from "./fields.table.js";

/** A field as the API shows it (CONTRACT.md's `Field`). */
export function toFieldJson(row: FieldRow) {
  return {
    key: row.key,
    label: row.label,
    type: row.type,
    options: row.options,
    required: row.required,
    createdAt: row.created_at.toISOString(),
  };
}
export type FieldJson = ReturnType<typeof toFieldJson>;

export const listFields = async (db: Kysely<Database>): Promise<FieldJson[]> => (await listFieldRows(db)).map(toFieldJson);

/** The fields as reading values needs them. */
export const fieldDefinitions = async (db: Kysely<Database>): Promise<FieldDefinition[]> =>
  (await listFieldRows(db)).map(({ key, label, type, options, required }) => ({ key, label, type, options, required }));

const notFound = (key: string) => new Refusal("not_found", `There is no field "${key}".`, { field: "key" });

export async function createField(db: Kysely<Database>, input: FieldCreateInput): Promise<FieldJson> {
  const key = input.key ?? keyFromLabel(input.label);
  if (!key) throw new Refusal("invalid", `Give the field a key: its label "${input.label}" has no letters to make one of.`, { field: "key" });
  if (isReservedKey(key)) throw new Refusal("conflict", `"${key}" is a built-in field of every product; choose another key.`, { field: "key" });
  const row = await insertFieldRow(db, {
    key,
    label: input.label,
    type: input.type,
    options: input.type === "choice" ? input.options! : null,
    required: input.required,
  });
  if (!row) throw new Refusal("conflict", `A field with the key "${key}" exists already.`, { field: "key" });
  if (RANGE_TYPES.includes(row.type)) await createRangeIndex(db, row);
  return toFieldJson(row);
}

/** How many stored values a refusal names at most. */
const EXAMPLES = 5;

/**
 * A type or options change converts every stored value by the rule a file's cell would be read
 * with (a list's items joined by commas, say), or refuses naming values that would not convert:
 * nothing changes unless everything can.
 */
export async function updateField(db: Kysely<Database>, input: FieldUpdateInput): Promise<FieldJson> {
  return db.transaction().execute(async (tx) => {
    const before = await findFieldRow(tx, input.key, { forUpdate: true });
    if (!before) throw notFound(input.key);
    const type = input.type ?? before.type;
    if (type !== "choice" && input.options?.length) {
      throw new Refusal("invalid", `a ${type} field has no options (only a choice field does)`, { field: "options" });
    }
    const options = type === "choice" ? (input.options ?? before.options) : null;
    if (type === "choice" && !options?.length) {
      throw new Refusal("invalid", "a choice field needs at least one option", { field: "options" });
    }
    const converting = type !== before.type || (type === "choice" && JSON.stringify(options) !== JSON.stringify(before.options));
    if (converting) await convertValues(tx, { ...before, type, options });
    const after = await updateFieldRow(tx, input.key, {
      label: input.label ?? before.label,
      type,
      options,
      required: input.required ?? before.required,
    });
    if (type !== before.type) {
      await dropRangeIndex(tx, before);
      if (RANGE_TYPES.includes(type)) await createRangeIndex(tx, after);
    }
    return toFieldJson(after);
  });
}

async function convertValues(db: Kysely<Database>, field: FieldDefinition): Promise<void> {
  const holders = await valueHolders(db);
  const converted = await Promise.all(
    holders.map(async (holder) => ({ ...holder, values: convertEach(field, await distinctValues(db, field.key, holder.table)) })),
  );
  // What the catalog holds, and what imports waiting to be applied will write, must convert.
  const refused = converted.filter((holder) => holder.live).flatMap((holder) => holder.values.refused);
  if (refused.length) {
    const products = refused.reduce((sum, value) => sum + value.count, 0);
    const examples = [...new Set(refused.map((value) => value.why))].slice(0, EXAMPLES).join("; ");
    const what = field.type === "choice" ? `one of its options` : `a ${field.type} value`;
    throw new Refusal(
      "conflict",
      `${products.toLocaleString("en-US")} product${products === 1 ? "" : "s"} (or rows of imports waiting to be applied) hold a value of "${field.label}" that is not ${what}: ${examples}. Change or clear those first.`,
      { field: field.type === "choice" ? "options" : "type" },
    );
  }
  // History (what an undo puts back, a review's listed changes) keeps what converts and loses what cannot.
  for (const holder of converted) {
    const dropped = holder.values.refused.map(({ value }) => ({ from: value, to: null }));
    await rewriteValues(db, field.key, [...holder.values.changes, ...dropped], holder.table);
  }
}

/** Each distinct value read by the field's rule, as a file's cell would be: what changes, and what would not convert. */
function convertEach(field: FieldDefinition, values: { value: AttributeValue; count: number }[]) {
  const changes: { from: AttributeValue; to: AttributeValue }[] = [];
  const refused: { value: AttributeValue; count: number; why: string }[] = [];
  for (const { value, count } of values) {
    const read = readFieldText(field, fieldValueText(value), DecimalSeparator.of("auto"));
    if ("problem" in read) refused.push({ value, count, why: `${shownValue(fieldValueText(value))} ${read.problem}` });
    else if (JSON.stringify(read.value) !== JSON.stringify(value)) changes.push({ from: value, to: read.value });
  }
  return { changes, refused };
}

/** Deletes the field and takes its value off every product; how many held one. */
export async function deleteField(db: Kysely<Database>, key: string): Promise<{ key: string; cleared: number }> {
  return db.transaction().execute(async (tx) => {
    const row = await deleteFieldRow(tx, key);
    if (!row) throw notFound(key);
    await dropRangeIndex(tx, row);
    const [catalog, ...elsewhere] = await valueHolders(tx);
    const cleared = await clearValues(tx, key, catalog!.table);
    // Neither an import waiting to be applied nor an undo may bring the value back.
    for (const holder of elsewhere) await clearValues(tx, key, holder.table);
    return { key, cleared };
  });
}

export { countHolding } from "./fields.table.js";
