import { sql, type Kysely, type RawBuilder, type Selectable } from "kysely";
import type { AttributeValue, Database, FieldsTable, FieldType } from "../../../db/schema.js";

export type FieldRow = Selectable<FieldsTable>;

export function listFieldRows(db: Kysely<Database>): Promise<FieldRow[]> {
  return db.selectFrom("fields").selectAll().orderBy("id").execute();
}

export async function listFieldKeys(db: Kysely<Database>): Promise<string[]> {
  return (await db.selectFrom("fields").select("key").execute()).map((row) => row.key);
}

export function findFieldRow(db: Kysely<Database>, key: string, options: { forUpdate?: boolean } = {}) {
  return db
    .selectFrom("fields")
    .selectAll()
    .where("key", "=", key)
    .$if(Boolean(options.forUpdate), (query) => query.forUpdate())
    .executeTakeFirst();
}

/** Inserts unless the key is taken; undefined means it was. */
export function insertFieldRow(
  db: Kysely<Database>,
  field: { key: string; label: string; type: FieldType; options: string[] | null; required: boolean },
) {
  return db
    .insertInto("fields")
    .values(field)
    .onConflict((oc) => oc.column("key").doNothing())
    .returningAll()
    .executeTakeFirst();
}

export function updateFieldRow(db: Kysely<Database>, key: string, changes: Partial<Pick<FieldRow, "label" | "type" | "options" | "required">>) {
  return db.updateTable("fields").set(changes).where("key", "=", key).returningAll().executeTakeFirstOrThrow();
}

export function deleteFieldRow(db: Kysely<Database>, key: string) {
  return db.deleteFrom("fields").where("key", "=", key).returningAll().executeTakeFirst();
}

/**
 * Where a field's values are kept besides the catalog: in the staging schema, the accepted rows of
 * imports not yet applied (`live`: they will be written) and, as history, the before-images an undo
 * puts back and the reviews' listed changes. Found by their `attributes` column, so tables staged
 * before custom fields existed are left out.
 */
export async function valueHolders(db: Kysely<Database>): Promise<{ table: RawBuilder<unknown>; live: boolean }[]> {
  const { rows } = await sql<{ name: string }>`
    SELECT table_name AS name FROM information_schema.columns
    WHERE table_schema = 'staging' AND column_name = 'attributes' AND table_name ~ '^import_[0-9]+(_before|_diff)?$'`.execute(db);
  return [{ table: sql`products`, live: true }, ...rows.map(({ name }) => ({ table: sql.id("staging", name), live: /^import_[0-9]+$/.test(name) }))];
}

/** How many products hold a value of the field. */
export async function countHolding(db: Kysely<Database>, key: string): Promise<number> {
  const { rows } = await sql<{ count: string }>`SELECT count(*) AS count FROM products WHERE attributes ? ${key}`.execute(db);
  return Number(rows[0]!.count);
}

/** Takes the field's value off every row of `table` holding one; how many did. */
export async function clearValues(db: Kysely<Database>, key: string, table: RawBuilder<unknown> = sql`products`): Promise<number> {
  const result = await sql`UPDATE ${table} SET attributes = attributes - ${key}::text WHERE attributes ? ${key}`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** The field's distinct values in `table` and how many rows hold each, for converting them to another type. */
export async function distinctValues(
  db: Kysely<Database>,
  key: string,
  table: RawBuilder<unknown> = sql`products`,
): Promise<{ value: AttributeValue; count: number }[]> {
  const { rows } = await sql<{ value: AttributeValue; count: string }>`
    SELECT attributes -> ${key}::text AS value, count(*) AS count FROM ${table} WHERE attributes ? ${key} GROUP BY 1 ORDER BY 2 DESC`.execute(db);
  return rows.map((row) => ({ value: row.value, count: Number(row.count) }));
}

/** Rewrites each value `from` of the field in `table` as `to` (null: takes it off), in one statement. */
export async function rewriteValues(
  db: Kysely<Database>,
  key: string,
  changes: { from: AttributeValue; to: AttributeValue | null }[],
  table: RawBuilder<unknown> = sql`products`,
): Promise<number> {
  if (!changes.length) return 0;
  const result = await sql`
    UPDATE ${table} AS p
      SET attributes = CASE WHEN c.to_value IS NULL THEN p.attributes - ${key}::text ELSE jsonb_set(p.attributes, ARRAY[${key}::text], c.to_value) END
    FROM (SELECT * FROM jsonb_to_recordset(${JSON.stringify(changes.map(({ from, to }) => ({ from_value: from, to_value: to })))}::jsonb)
          AS c(from_value jsonb, to_value jsonb)) AS c
    WHERE p.attributes -> ${key}::text = c.from_value`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/**
 * A range-filtered field's expression index: jsonb orders numbers numerically and ISO dates as
 * text, so one index on `attributes -> key` serves `min` / `max` for number, integer and date.
 * Named by the field's id: a key can be as long as an index name.
 */
const rangeIndex = (id: number) => sql.id(`products_field_${id}`);

export async function createRangeIndex(db: Kysely<Database>, field: { id: number; key: string }): Promise<void> {
  await sql`CREATE INDEX IF NOT EXISTS ${rangeIndex(field.id)} ON products ((attributes -> ${sql.lit(field.key)}))`.execute(db);
}

export async function dropRangeIndex(db: Kysely<Database>, field: { id: number }): Promise<void> {
  await sql`DROP INDEX IF EXISTS ${rangeIndex(field.id)}`.execute(db);
}
