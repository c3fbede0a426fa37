/**
 * One declaration of a table that rows are written into with COPY (a staged row, a before-image):
 * its columns give the CREATE TABLE, the column list COPY and INSERT name, the line COPY reads and
 * the row's TypeScript type, so a column added once is added everywhere.
 */

const COPY_SPECIAL = /[\\\t\n\r]/;
/** A value in COPY's text format: backslash, tab and line breaks escaped. */
function copyText(value: string): string {
  if (!COPY_SPECIAL.test(value)) return value;
  return value.replace(/[\\\t\n\r]/g, (char) => (char === "\\" ? "\\\\" : char === "\t" ? "\\t" : char === "\n" ? "\\n" : "\\r"));
}

/** An array element as a Postgres array literal writes it: quoted, `"` and `\` escaped. */
const ARRAY_SPECIAL = /["\\]/;
const arrayElement = (value: string) => (ARRAY_SPECIAL.test(value) ? `"${value.replace(/["\\]/g, "\\$&")}"` : `"${value}"`);

/** Lists several rows share (a product's images on each of its variants), written once. */
const written = new WeakMap<readonly string[], string>();

/** A text array in COPY's text format: `{"a","b"}`, its elements quoted, the whole escaped for COPY. */
function arrayLiteral(values: readonly string[]): string {
  const known = written.get(values);
  if (known !== undefined) return known;
  let literal = "{";
  for (let at = 0; at < values.length; at += 1) literal += `${at === 0 ? "" : ","}${arrayElement(values[at]!)}`;
  const text = copyText(`${literal}}`);
  if (values.length > 2) written.set(values, text);
  return text;
}

/** Postgres's type for each kind of column, and how a value of it is written in COPY's text format. */
const COLUMN_KINDS = {
  integer: { type: "integer", copy: (value: number) => String(value) },
  /** Ids as pg hands them back: a bigint is a string. */
  bigint: { type: "bigint", copy: (value: string) => value },
  text: { type: "text", copy: copyText },
  /** Exact decimals as text (`"12.50"`), never through a binary float. */
  numeric: { type: "numeric", copy: (value: string) => value },
  textArray: { type: "text[]", copy: arrayLiteral },
  boolean: { type: "boolean", copy: (value: boolean) => (value ? "t" : "f") },
  /** An object as JSON text. */
  jsonb: { type: "jsonb", copy: copyText },
  timestamptz: { type: "timestamptz", copy: (value: Date) => value.toISOString() },
} satisfies Record<string, { type: string; copy: (value: never) => string }>;

type ColumnKind = keyof typeof COLUMN_KINDS;
export interface Column {
  kind: ColumnKind;
  nullable?: true;
}
type ValueOf<C extends Column> = Parameters<(typeof COLUMN_KINDS)[C["kind"]]["copy"]>[0] | (C["nullable"] extends true ? null : never);
export type RowOf<Columns extends Record<string, Column>> = { -readonly [Name in keyof Columns]: ValueOf<Columns[Name]> };

const NULL = "\\N";

export function copyTable<const Columns extends Record<string, Column>>(columns: Columns) {
  const names = Object.keys(columns) as (keyof Columns & string)[];
  const writers = names.map((name) => COLUMN_KINDS[columns[name]!.kind].copy as (value: unknown) => string);
  return {
    columns,
    names,
    /** `(line integer NOT NULL, sku text NOT NULL, …)`, for CREATE TABLE (plain text: the parse worker, which encodes rows, loads no Kysely). */
    definition: `(${names.map((name) => `${name} ${COLUMN_KINDS[columns[name]!.kind].type}${columns[name]!.nullable ? "" : " NOT NULL"}`).join(", ")})`,
    /** `line, sku, …`, for COPY and INSERT. */
    columnList: names.join(", "),
    /** One row as a line of COPY's text format. */
    copyLine(row: RowOf<Columns>): string {
      // Indexed and concatenated: an import writes half a million of these. A value not given (a
      // column a row's reading never set) is NULL, as an empty one is.
      let line = "";
      for (let at = 0; at < names.length; at += 1) {
        const value = row[names[at]!];
        line += `${at === 0 ? "" : "\t"}${value == null ? NULL : writers[at]!(value)}`;
      }
      return `${line}\n`;
    },
  };
}
