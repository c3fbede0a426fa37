import type { Kysely } from "kysely";
import type { Database } from "../../../db/schema.js";
import { fieldDefinitions } from "../../products/custom-fields/custom-fields.js";
import { resolveColumns, type ResolvedColumns } from "../../mappings/resolve-columns.js";
import type { ImportRow } from "../imports.table.js";
import { RowReader } from "../rows/row-reader.js";
import { readingOf } from "./import-reading.js";

/** A rejected row's cells judged again: passing, or why not (and the field at fault). */
export type RowCheck = { fixed: true } | { fixed: false; message: string; field: string | null };

/**
 * The importer's own rules for one import's rows, as its file was read: its header, the columns
 * it mapped, its platform, its decimal point and image base. Each row is read on its own (a fresh
 * reader: a fixed row does not join the product group of the row checked before it).
 */
export async function rowCheckerFor(db: Kysely<Database>, row: ImportRow): Promise<(cells: string[], line: number) => RowCheck> {
  const columns: ResolvedColumns = resolveColumns(row.header, readingOf(row), undefined, await fieldDefinitions(db));
  return (cells, line) => {
    const reader = new RowReader(columns, row.decimal_separator_read ?? row.decimal_separator, row.image_base_url, false);
    const outcome = reader.read(cells, line);
    if ("rejected" in outcome) return { fixed: false, message: outcome.rejected.message, field: outcome.rejected.field ?? null };
    if ("skipped" in outcome) return { fixed: false, message: `it would be skipped: ${outcome.skipped.reason}`, field: null };
    return { fixed: true };
  };
}
