import { sql, type Kysely } from "kysely";
import type { Database } from "../../../db/schema.js";
import { isPgError } from "../../../db/postgres-errors.js";
import { countWords } from "../../count-words.js";
import { Refusal } from "../../refusal.js";
import { TARGET_FIELDS } from "../../mappings/mapping.schema.js";
import { ImportNotFound } from "../import-errors.js";
import { findImport, type ImportRow } from "../imports.table.js";
import { rowCheckerFor, type RowCheck } from "./row-check.js";
import { notBroughtIn } from "./fixed-rows.table.js";

/** How long a find and replace may run before it is stopped as a runaway. */
const REPLACE_TIMEOUT_MS = 10_000;
const CHECK_BATCH = 5_000;

async function existingImport(db: Kysely<Database>, id: string): Promise<ImportRow> {
  const row = await findImport(db, id);
  if (!row) throw new ImportNotFound(id);
  return row;
}

/** The file's header, the mapped columns first (in the fields' order), then the rest as the file has them. */
export function gridColumns(row: Pick<ImportRow, "header" | "mapping">): string[] {
  const mapping = row.mapping ?? {};
  const mapped = [...TARGET_FIELDS, ...Object.keys(mapping).filter((field) => !(TARGET_FIELDS as readonly string[]).includes(field))]
    .map((field) => mapping[field])
    .filter((column): column is string => typeof column === "string" && row.header.includes(column));
  const first = [...new Set(mapped)];
  return [...first, ...row.header.filter((column) => !first.includes(column))];
}

/** The column a field was read from, as the import mapped it; null when no single column is at fault. */
const columnOf = (row: Pick<ImportRow, "mapping">, field: string | null) => (field ? (row.mapping?.[field] ?? null) : null);

interface StoredRow {
  line: number;
  message: string;
  fields: string[];
  field: string | null;
  edited: string[] | null;
  fixed: boolean;
  revision: number;
}

/** A rejected row as the grid shows it: its cells by column (as edited), and what is wrong with it. */
function gridRow(row: ImportRow, stored: StoredRow) {
  const cells = stored.edited ?? stored.fields;
  return {
    line: stored.line,
    cells: Object.fromEntries(row.header.map((column, at) => [column, cells[at] ?? ""])),
    errors: stored.fixed ? [] : [{ column: columnOf(row, stored.field), message: stored.message }],
    fixed: stored.fixed,
    edited: stored.edited !== null,
    revision: stored.revision,
  };
}

/** Rows still to be fixed or brought in: not left out, not brought in yet. */
const open = (db: Kysely<Database>, importId: string) =>
  db.selectFrom("import_errors").where("import_id", "=", importId).where("dropped", "=", false).where(notBroughtIn(importId));

/** "Contains", with the pattern's own wildcards taken literally. */
const containing = (text: string) => `%${text.replace(/[\\%_]/g, "\\$&")}%`;

/** The imports of this one's fixed rows, oldest first, with how many rows each took. */
function followUpsOf(db: Kysely<Database>, id: string) {
  return db
    .selectFrom("imports")
    .select(["id", "filename", "status", sql<string>`(SELECT coalesce(sum(upper(r) - lower(r)), 0) FROM unnest(brought_in_lines) AS r)`.as("rows")])
    .where("fixes_import_id", "=", id)
    .orderBy("id")
    .execute();
}

/** imports.rejectedRows: a page of the rejected rows by line, optionally only those whose message contains `message`. */
export async function rejectedRowsPage(db: Kysely<Database>, id: string, input: { page: number; pageSize: number; message?: string }) {
  const row = await existingImport(db, id);
  const pattern = input.message ? containing(input.message) : null;
  const filtered = () => (pattern ? open(db, id).where("message", "ilike", pattern).where("fixed", "=", false) : open(db, id));
  const matching = pattern ? sql<boolean>`message ILIKE ${pattern} AND NOT fixed` : sql<boolean>`true`;
  const [items, counts, followUps] = await Promise.all([
    filtered()
      .select(["line", "message", "fields", "field", "edited", "fixed", "revision"])
      .orderBy("line")
      .limit(input.pageSize)
      .offset((input.page - 1) * input.pageSize)
      .execute(),
    // Both counts in one pass over the import's rows.
    open(db, id)
      .select([sql<string>`count(*) FILTER (WHERE ${matching})`.as("total"), sql<string>`count(*) FILTER (WHERE fixed)`.as("fixed")])
      .executeTakeFirstOrThrow(),
    followUpsOf(db, id),
  ]);
  const total = { n: counts.total };
  const fixed = { n: counts.fixed };
  return {
    columns: gridColumns(row),
    items: items.map((stored) => gridRow(row, stored)),
    total: Number(total.n),
    fixedCount: Number(fixed.n),
    /** The imports of this one's fixed rows (the other way: their `fixesImportId`). */
    broughtInBy: followUps.map((followUp) => ({
      id: followUp.id,
      filename: followUp.filename,
      status: followUp.status,
      rows: Number(followUp.rows),
    })),
    page: input.page,
    pageSize: input.pageSize,
  };
}

function unknownColumn(row: ImportRow, column: string): Refusal {
  return new Refusal(
    "invalid",
    `"${column.slice(0, 80)}" is not a column of ${row.filename}; its columns are ${row.header.slice(0, 12).join(", ")}.`,
    {
      field: "column",
    },
  );
}

/**
 * imports.fixRows: each row's given cells replace its own, and the row is checked again with the
 * importer's rules. All or nothing: a line that is not an open rejected row of this import, or a
 * column the file does not have, refuses the whole call. A save over someone else's (a `revision`
 * older than the row's) still wins, and says so (`overwrote`).
 */
export async function fixRows(db: Kysely<Database>, id: string, rows: { line: number; cells: Record<string, string>; revision?: number }[]) {
  const row = await existingImport(db, id);
  const check = await rowCheckerFor(db, row);
  const lines = [...new Set(rows.map((given) => given.line))];
  if (lines.length !== rows.length) throw new Refusal("invalid", "rows: each line may be given once.", { field: "rows" });
  return db.transaction().execute(async (tx) => {
    const stored = new Map(
      (
        await open(tx, id)
          .select(["line", "message", "fields", "field", "edited", "fixed", "revision"])
          .where("line", "in", lines.length ? lines : [-1])
          .forUpdate()
          .execute()
      ).map((found) => [found.line, found]),
    );
    const items = [];
    for (const given of rows) {
      const current = stored.get(given.line);
      if (!current)
        throw new Refusal(
          "invalid",
          `Line ${given.line} is not a rejected row of import ${id} still to fix (it was not rejected, was left out, or was brought in).`,
        );
      const cells = [...(current.edited ?? current.fields)];
      for (const [column, value] of Object.entries(given.cells)) {
        const at = row.header.indexOf(column);
        if (at === -1) throw unknownColumn(row, column);
        cells[at] = value;
      }
      const verdict = check(cells, given.line);
      await saveRow(tx, id, given.line, cells, current.fields, verdict);
      const updated = { ...current, edited: sameCells(cells, current.fields) ? null : cells, ...verdictColumns(verdict, current) };
      items.push({
        ...gridRow(row, { ...updated, revision: current.revision + 1 }),
        overwrote: given.revision !== undefined && given.revision !== current.revision,
      });
    }
    return { items };
  });
}

const sameCells = (a: string[], b: string[]) => a.length === b.length && a.every((cell, at) => cell === b[at]);

function verdictColumns(verdict: RowCheck, current: Pick<StoredRow, "message" | "field">) {
  return verdict.fixed
    ? { fixed: true, message: current.message, field: current.field }
    : { fixed: false, message: verdict.message, field: verdict.field };
}

async function saveRow(db: Kysely<Database>, id: string, line: number, cells: string[], fields: string[], verdict: RowCheck): Promise<void> {
  await db
    .updateTable("import_errors")
    .set({
      edited: sameCells(cells, fields) ? null : cells,
      fixed: verdict.fixed,
      ...(verdict.fixed ? {} : { message: verdict.message, field: verdict.field }),
      revision: sql`revision + 1`,
    })
    .where("import_id", "=", id)
    .where("line", "=", line)
    .execute();
}

/** Every row still to fix whose problem mentions `message` (the grid's filter), left out. */
async function dropMatching(db: Kysely<Database>, id: string, message: string) {
  const result = await db
    .updateTable("import_errors")
    .set({ dropped: true, revision: sql`revision + 1` })
    .where("import_id", "=", id)
    .where("dropped", "=", false)
    .where("fixed", "=", false)
    .where(notBroughtIn(id))
    .where("message", "ilike", containing(message))
    .executeTakeFirst();
  return { dropped: Number(result.numUpdatedRows) };
}

/**
 * imports.dropRejected: rows nobody wants are left out, by line (all or nothing: each must be an
 * open rejected row) or every row still to fix whose problem mentions `message`.
 */
export async function dropRejected(db: Kysely<Database>, id: string, input: { lines?: number[]; message?: string }) {
  await existingImport(db, id);
  if (input.message !== undefined) return dropMatching(db, id, input.message);
  const lines = input.lines ?? [];
  const wanted = [...new Set(lines)];
  return db.transaction().execute(async (tx) => {
    const dropped = await open(tx, id)
      .where("line", "=", sql<number>`ANY(${wanted}::int[])`)
      .select("line")
      .execute();
    if (dropped.length !== wanted.length) {
      const found = new Set(dropped.map((row) => row.line));
      const missing = wanted.filter((line) => !found.has(line));
      throw new Refusal(
        "invalid",
        `${countWords(missing.length, "line is", "lines are")} not a rejected row of import ${id} still to fix: ${missing.slice(0, 10).join(", ")}.`,
      );
    }
    await tx
      .updateTable("import_errors")
      .set({ dropped: true, revision: sql`revision + 1` })
      .where("import_id", "=", id)
      .where("line", "=", sql<number>`ANY(${wanted}::int[])`)
      .execute();
    return { dropped: wanted.length };
  });
}

/** A replacement as Postgres writes it: `$1` (as people write it) becomes `\1`; a lone backslash stays one. */
const postgresReplacement = (replace: string) =>
  replace
    .replace(/\\/g, "\\\\")
    .replace(/\$(\d)/g, "\\$1")
    .replace(/\$&/g, "\\&");

/**
 * imports.replaceInRejected: `find` replaced by `replace` in one column of every open rejected row
 * (plain text, or a regular expression with `$1`…), each changed row checked again. `preview`
 * counts what it would change and fix without saving. Set-based: the replacement runs in Postgres
 * (under a time limit, so a runaway expression is stopped), the checks in batches.
 */
export async function replaceInRejected(
  db: Kysely<Database>,
  id: string,
  input: { column: string; find: string; replace: string; regex?: boolean; preview?: boolean },
) {
  const row = await existingImport(db, id);
  const at = row.header.indexOf(input.column);
  if (at === -1) throw unknownColumn(row, input.column);
  const check = await rowCheckerFor(db, row);
  const index = at + 1;
  const cell = sql<string>`(coalesce(edited, fields))[${index}]`;
  const replaced = input.regex
    ? sql<string>`regexp_replace(${cell}, ${input.find}, ${postgresReplacement(input.replace)}, 'g')`
    : sql<string>`replace(${cell}, ${input.find}, ${input.replace})`;
  try {
    return await db.transaction().execute(async (tx) => {
      await sql`SET LOCAL statement_timeout = ${sql.lit(REPLACE_TIMEOUT_MS)}`.execute(tx);
      if (input.regex) await sql`SELECT regexp_replace('', ${input.find}, '')`.execute(tx);
      const { rows } = await sql<{ line: number; cells: string[]; fields: string[]; fixed: boolean }>`
        SELECT line, fields, fixed,
               (coalesce(edited, fields))[1:${index - 1}] || ${replaced} || (coalesce(edited, fields))[${index + 1}:] AS cells
        FROM import_errors
        WHERE import_id = ${id} AND NOT dropped AND ${notBroughtIn(id)} AND ${replaced} IS DISTINCT FROM ${cell}
        ORDER BY line`.execute(tx);
      let fixed = 0;
      for (let start = 0; start < rows.length; start += CHECK_BATCH) {
        const batch = rows.slice(start, start + CHECK_BATCH).map((changed) => ({ ...changed, verdict: check(changed.cells, changed.line) }));
        fixed += batch.filter(({ verdict, fixed: before }) => verdict.fixed && !before).length;
        if (!input.preview) await saveBatch(tx, id, batch);
      }
      return { changed: rows.length, fixed, preview: input.preview === true };
    });
  } catch (error) {
    if (isPgError(error, "queryCanceled")) {
      throw new Refusal(
        "invalid",
        `The regular expression took longer than ${REPLACE_TIMEOUT_MS / 1000} s over the rejected rows and was stopped; nothing was changed. Try a simpler one.`,
        { field: "find" },
      );
    }
    if (isPgError(error, "invalidRegularExpression")) {
      throw new Refusal(
        "invalid",
        `"${input.find.slice(0, 80)}" is not a regular expression Postgres can read (${(error as Error).message}); nothing was changed.`,
        { field: "find" },
      );
    }
    throw error;
  }
}

/** One statement for a batch of checked rows. */
async function saveBatch(db: Kysely<Database>, id: string, batch: { line: number; cells: string[]; fields: string[]; verdict: RowCheck }[]) {
  const payload = JSON.stringify(
    batch.map(({ line, cells, fields, verdict }) => ({
      line,
      edited: sameCells(cells, fields) ? null : cells,
      fixed: verdict.fixed,
      message: verdict.fixed ? null : verdict.message,
      field: verdict.fixed ? null : verdict.field,
    })),
  );
  await sql`
    UPDATE import_errors AS e SET
      edited = CASE WHEN jsonb_typeof(u->'edited') = 'array' THEN ARRAY(SELECT jsonb_array_elements_text(u->'edited')) END,
      fixed = (u->>'fixed')::boolean,
      message = coalesce(u->>'message', e.message),
      field = CASE WHEN (u->>'fixed')::boolean THEN e.field ELSE u->>'field' END,
      revision = e.revision + 1
    FROM jsonb_array_elements(${payload}::jsonb) AS u
    WHERE e.import_id = ${id} AND e.line = (u->>'line')::int`.execute(db);
}
