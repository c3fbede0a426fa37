import type { Kysely } from "kysely";
import { Readable } from "node:stream";
import type { Database } from "../../db/schema.js";
import type { SourceRecord } from "../files/csv-records.js";
import { describeDialect, SAMPLE_BYTES } from "../files/dialect.js";
import { openFile, type FileChoice, type OpenedFile } from "../files/open-file.js";
import { assertTextHeader } from "../files/unusable-file.js";
import { findSavedMapping } from "../mappings/mappings.table.js";
import { resolveColumns, suggestMapping, type MappingChoice } from "../mappings/resolve-columns.js";
import { Refusal } from "../refusal.js";
import { RowReader } from "./row-reader.js";

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
  /** Required fields without a column: the upload would be refused until they have one. */
  missing: string[];
  /** Why the mapping would be refused as it is, if it would be. */
  problem: string | null;
  /** The first rows as the file has them. */
  rows: string[][];
  /** The same rows as they would be imported. */
  preview: PreviewRow[];
}

/** The sample's records: all it holds, less a last record the sample may have cut short. */
async function sampleRecords(file: OpenedFile, wholeFile: boolean): Promise<SourceRecord[]> {
  const records: SourceRecord[] = [];
  try {
    for await (const batch of file.records) {
      records.push(...batch);
      if (records.length > SAMPLE_ROWS + 1) break;
    }
  } catch (error) {
    // A record cut by the end of the sample is the sample's fault, not the file's.
    if (wholeFile || !(error instanceof Refusal)) throw error;
    return records.slice(0, -1);
  }
  return wholeFile || records.length > SAMPLE_ROWS + 1 ? records : records.slice(0, -1);
}

/**
 * Reads a file's first bytes (at most 64 KB, sent by the browser before the upload) the way the
 * upload will: dialect, header, the mapping it would use, and its first rows as they would be
 * imported. A workbook can only be inspected whole (its directory is at its end).
 */
export async function inspectFile(
  db: Kysely<Database>,
  input: { sample: Buffer; filename: string; wholeFile: boolean; reading: FileChoice; mapping: MappingChoice },
): Promise<Inspection> {
  if (input.sample.length > SAMPLE_BYTES)
    throw new Refusal("invalid", `sample: at most ${SAMPLE_BYTES / 1024} KB of the file's beginning.`, { field: "sample" });
  const file = await openFile(Readable.from([input.sample]), { filename: input.filename }, input.reading);
  try {
    const records = file.format === "xlsx" && !input.wholeFile ? [] : await sampleRecords(file, input.wholeFile);
    const [first, ...rest] = records;
    const header = first?.fields ?? [];
    if (first) assertTextHeader(header);
    const dialect = file.dialect;
    const readAs = dialect ? describeDialect(dialect) : file.sheet ? `a workbook, sheet "${file.sheet.name}"` : "a workbook";
    const saved = input.mapping.mapping || !first ? undefined : await findSavedMapping(db, header);
    const suggestion = suggestMapping(header, saved, input.mapping);
    let problem: string | null = null;
    let preview: PreviewRow[] = [];
    if (first) {
      try {
        const reader = new RowReader(resolveColumns(header, input.mapping, saved));
        preview = rest.slice(0, SAMPLE_ROWS).map(({ fields, line }) => {
          const outcome = reader.read(fields, line);
          if ("rejected" in outcome) return { line, sku: "", name: "", description: "", active: null, problem: outcome.rejected.message };
          const { sku, name, description, active } = outcome.accepted;
          return { line, sku, name, description, active, problem: null };
        });
      } catch (error) {
        if (!(error instanceof Refusal)) throw error;
        problem = error.message;
      }
    }
    return {
      format: file.format,
      encoding: dialect?.encoding ?? null,
      delimiter: dialect?.delimiter ?? null,
      quote: dialect?.quote ?? null,
      lineEnding: dialect?.lineEnding ?? null,
      sheet: file.sheet?.name ?? null,
      readAs,
      header,
      mapping: suggestion.mapping as Record<string, string>,
      profile: suggestion.profile?.id ?? null,
      mappingSource: suggestion.source,
      missing: suggestion.missing,
      problem,
      rows: rest.slice(0, SAMPLE_ROWS).map((record) => record.fields),
      preview,
    };
  } finally {
    await file.close();
  }
}
