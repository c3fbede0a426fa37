import type { Kysely } from "kysely";
import type { Database, FieldType } from "../../../db/schema.js";
import { fieldDefinitions } from "../../products/custom-fields/custom-fields.js";
import { suggestFieldType } from "../../mappings/attribute-columns.js";
import type { ColumnMapping } from "../../mappings/mapping.schema.js";
import { HeaderColumns } from "../../mappings/header-columns.js";
import { describeDialect } from "../../files/dialect.js";
import { SAMPLE_BYTES } from "../../files/dialect.schema.js";
import type { FileChoice } from "../../files/open-file.js";
import { findMappingFor, type SavedMatch } from "../../mappings/saved-mapping.js";
import { descriptionExcerpt } from "../../products/description-html.js";
import { resolveColumns, suggestMapping, type MappingChoice } from "../../mappings/resolve-columns.js";
import { Refusal } from "../../refusal.js";
import { RowReader } from "../rows/row-reader.js";
import { sampleInWorker } from "../rows/worker-row-source.js";

const SAMPLE_ROWS = 20;

/** A sampled row as the import would take it, or why it would be rejected. */
export interface PreviewRow {
  line: number;
  sku: string;
  name: string;
  description: string;
  /** true / false, or null for "not said" (the product keeps its flag). */
  active: boolean | null;
  problem: string | null;
  /** The description's text, as the products list will show it (platform descriptions are HTML). */
  descriptionText: string;
  /** Why the row is skipped (a platform's row that is not a product), or null. */
  skipped: string | null;
  /** Its SKU was made from its handle (it had none). */
  madeSku: boolean;
}

/** What the first bytes of a file say about it, before it is uploaded (imports.inspect). */
export interface Inspection {
  format: "csv" | "xlsx";
  encoding: string | null;
  delimiter: string | null;
  quote: string | null;
  lineEnding: string | null;
  sheet: string | null;
  /** "Windows-1252, semicolon-separated", or the sheet of a workbook. */
  readAs: string;
  header: string[];
  mapping: Record<string, string>;
  profile: string | null;
  /** Where the mapping came from: the choice sent, a saved mapping, a profile, or the header's names. */
  mappingSource: string;
  /** A saved mapping's: saved for this header, for another file of the platform, or for a header a column apart. */
  savedFor: SavedMatch | null;
  /** Required fields without a column: the upload would be refused until they have one. */
  missing: string[];
  /** Why the mapping would be refused as it is, if it would be. */
  problem: string | null;
  /** The first rows as the file has them. */
  rows: string[][];
  /** The same rows as they would be imported. */
  preview: PreviewRow[];
  /** The file's columns no field takes, each with the type a new field from it would have (CONTRACT.md's `unmapped`). */
  unmapped: { column: string; suggestedType: FieldType }[];
}

/** The columns no field takes (found as the import finds a mapping's columns), with the type their first values suggest. */
function unmappedColumns(header: string[], mapping: ColumnMapping, records: { fields: string[] }[]): Inspection["unmapped"] {
  const columns = new HeaderColumns(header);
  const taken = new Set(Object.values(mapping).map((name) => columns.indexOf(name!)));
  return header.flatMap((column, at) =>
    taken.has(at) || !column.trim() ? [] : [{ column, suggestedType: suggestFieldType(records.map(({ fields }) => fields[at] ?? "")) }],
  );
}

/**
 * Reads a file's first bytes (at most 64 KB, sent by the browser before the upload) the way the
 * upload will (in a worker thread: file-sample.ts): dialect, header, the mapping it would use, and
 * its first rows as they would be imported. A workbook can only be inspected whole (its directory
 * is at its end).
 */
export async function inspectFile(
  db: Kysely<Database>,
  input: { sample: Buffer; filename: string; wholeFile: boolean; reading: FileChoice; mapping: MappingChoice },
): Promise<Inspection> {
  if (input.sample.length > SAMPLE_BYTES)
    throw new Refusal("invalid", `sample: at most ${SAMPLE_BYTES / 1024} KB of the file's beginning.`, { field: "sample" });
  const { format, dialect, sheet, records } = await sampleInWorker(input.sample, {
    filename: input.filename,
    reading: input.reading,
    wholeFile: input.wholeFile,
    rows: SAMPLE_ROWS,
  });
  const [first, ...rest] = records;
  const header = first?.fields ?? [];
  const readAs = dialect ? describeDialect(dialect) : sheet ? `a workbook, sheet "${sheet.name}"` : "a workbook";
  const saved = input.mapping.mapping || !first ? undefined : await findMappingFor(db, header);
  const fields = await fieldDefinitions(db);
  const suggestion = suggestMapping(header, saved, input.mapping, fields);
  let problem: string | null = null;
  let preview: PreviewRow[] = [];
  if (first) {
    try {
      const reader = new RowReader(resolveColumns(header, input.mapping, saved, fields), "auto", null, false);
      preview = rest.slice(0, SAMPLE_ROWS).map(({ fields, line }) => {
        const outcome = reader.read(fields, line);
        const empty = { line, sku: "", name: "", description: "", descriptionText: "", active: null, problem: null, skipped: null, madeSku: false };
        if ("rejected" in outcome) return { ...empty, problem: outcome.rejected.message };
        if ("skipped" in outcome) return { ...empty, skipped: outcome.skipped.reason };
        if (!("accepted" in outcome)) return empty;
        const { sku, name, description, active } = outcome.accepted;
        return { ...empty, sku, name, description, descriptionText: descriptionExcerpt(description), active, madeSku: outcome.madeSku === true };
      });
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      problem = error.message;
    }
  }
  return {
    format,
    encoding: dialect?.encoding ?? null,
    delimiter: dialect?.delimiter ?? null,
    quote: dialect?.quote ?? null,
    lineEnding: dialect?.lineEnding ?? null,
    sheet: sheet?.name ?? null,
    readAs,
    header,
    mapping: suggestion.mapping as Record<string, string>,
    profile: suggestion.profile?.id ?? null,
    mappingSource: suggestion.source,
    savedFor: suggestion.source === "saved" && saved ? saved.match : null,
    missing: suggestion.missing,
    unmapped: unmappedColumns(header, suggestion.mapping, rest.slice(0, SAMPLE_ROWS)),
    problem,
    rows: rest.slice(0, SAMPLE_ROWS).map((record) => record.fields),
    preview,
  };
}
