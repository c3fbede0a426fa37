import { parse, type Options, type Parser } from "csv-parse";
import { isBlankRecord, linesSpanned } from "./csv-row.js";
import { UnusableFileError } from "./csv-columns.js";

export interface NumberedRecord {
  /** The physical line the record starts on; the header is line 1. */
  line: number;
  fields: string[];
}

// Far above any valid row (limits add up to ~400 KB of UTF-8), far below a problem for memory.
const MAX_RECORD_CHARS = 8 * 1024 * 1024;

/**
 * A streaming CSV parser that yields records numbered by the line they start on. csv-parse reports
 * where a record ends (and counts CRLF inside quotes twice), so lines are counted from the fields.
 */
export function numberedCsvRecords(): { parser: Parser; explain: (error: unknown) => unknown } {
  let nextLine = 1;
  const parser = parse({
    bom: true,
    relax_column_count: true,
    // Inch marks and stray quotes inside unquoted fields are common in catalogs; keep them literally.
    relax_quotes: true,
    skip_empty_lines: false,
    max_record_size: MAX_RECORD_CHARS,
    on_record: ((fields: string[]) => {
      const line = nextLine;
      nextLine += linesSpanned(fields);
      return isBlankRecord(fields) ? null : ({ line, fields } satisfies NumberedRecord);
    }) as unknown as Options["on_record"],
  });
  // Parse errors name the line the broken record starts on, in the product's words.
  return { parser, explain: (error) => describeParseError(error as Error & { code?: string }, nextLine) };
}

function describeParseError(error: Error & { code?: string }, line: number): unknown {
  if (!error.code?.startsWith("CSV_")) return error;
  switch (error.code) {
    case "CSV_QUOTE_NOT_CLOSED":
      return new UnusableFileError("a quoted field starts here and is never closed, so the file cannot be read", line);
    case "CSV_MAX_RECORD_SIZE":
      return new UnusableFileError("a record is longer than 8 MB; is this a CSV file?", line);
    default:
      return new UnusableFileError(`the CSV cannot be read (${error.message})`, line);
  }
}
