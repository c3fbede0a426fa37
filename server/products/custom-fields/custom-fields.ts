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
  const changes: { from: AttributeValue; to: AttributeValue }[] = [];
  const refused: string[] = [];
  let refusedProducts = 0;
  for (const { value, count } of await distinctValues(db, field.key)) {
    const read = readFieldText(field, fieldValueText(value), DecimalSeparator.of("."));
    if ("problem" in read) {
      refusedProducts += count;
      if (refused.length < EXAMPLES) refused.push(`${shownValue(fieldValueText(value))} ${read.problem}`);
    } else if (JSON.stringify(read.value) !== JSON.stringify(value)) changes.push({ from: value, to: read.value });
  }
  if (refused.length) {
    const what = field.type === "choice" ? `one of its options` : `a ${field.type} value`;
    throw new Refusal(
      "conflict",
      `${refusedProducts.toLocaleString("en-US")} product${refusedProducts === 1 ? "" : "s"} hold a value of "${field.label}" that is not ${what}: ${refused.join("; ")}. Change or clear those first.`,
      { field: field.type === "choice" ? "options" : "type" },
    );
  }
  await rewriteValues(db, field.key, changes);
}

/** Deletes the field and takes its value off every product; how many held one. */
export async function deleteField(db: Kysely<Database>, key: string): Promise<{ key: string; cleared: number }> {
  return db.transaction().execute(async (tx) => {
    const row = await deleteFieldRow(tx, key);
    if (!row) throw notFound(key);
    await dropRangeIndex(tx, row);
    return { key, cleared: await clearValues(tx, key) };
  });
}

export { countHolding } from "./fields.table.js";
