import { isProfileId, type ColumnMapping } from "../../mappings/mapping.schema.js";
import type { MappingChoice } from "../../mappings/resolve-columns.js";
import type { ImportRow } from "../imports.table.js";

/**
 * How an import read its file, as a mapping choice: its columns, its platform, the decimal point
 * its numbers showed, its image base. Its fixed rows are checked, staged and imported with it, so
 * they are read as the rest of the file was.
 */
export function readingOf(row: ImportRow): MappingChoice {
  return {
    mapping: (row.mapping ?? {}) as ColumnMapping,
    profile: row.profile && isProfileId(row.profile) ? row.profile : undefined,
    decimalSeparator: row.decimal_separator_read ?? row.decimal_separator,
    imageBaseUrl: row.image_base_url ?? undefined,
  };
}
