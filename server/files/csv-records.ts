import { parse, type Options, type Parser } from "csv-parse";
import iconv from "iconv-lite";
import { Readable, type Transform, type TransformCallback } from "node:stream";
import type { Dialect } from "./dialect.js";
import type { Refusal } from "../refusal.js";
import { MAX_RECORD_CHARS } from "./file-limits.js";
import { inBatches } from "./record-batches.js";
import { unusableFile } from "./unusable-file.js";

/** One record of the file and the line it starts on (header = line 1). */
export interface SourceRecord {
  line: number;
  fields: string[];
}

/** Travels down the stream after the last good record, so the consumer knows where it broke. */
export class CsvParseFailure {
  constructor(readonly error: Error & { code?: string }) {}
}

/**
 * A streaming CSV parser whose output is `string[]` records and, if the file is broken, one final
 * CsvParseFailure. Passing the error in-band keeps every record parsed before it, which the
 * line numbering needs.
 */
export function csvRecordStream(dialect: { delimiter: string; quote: string } = { delimiter: ",", quote: '"' }): Parser {
  const parser = parse({
    bom: true,
    // Given only when they are not csv-parse's own defaults, which it reads faster.
    ...(dialect.delimiter !== "," ? { delimiter: dialect.delimiter } : {}),
    ...(dialect.quote !== '"' ? { quote: dialect.quote } : {}),
    relax_column_count: true,
    // Inch marks and stray quotes inside unquoted fields are common in catalogs; keep them literally.
    relax_quotes: true,
    skip_empty_lines: false,
    max_record_size: MAX_RECORD_CHARS,
    // A stream option csv-parse passes on but does not declare: records wait in batches (see
    // record-batches.ts), not sixteen at a time.
    ...({ readableHighWaterMark: 1024 } as Options),
  });
  const inBand = (callback: TransformCallback) => (error?: Error | null) => {
    if (error) parser.push(new CsvParseFailure(error));
    callback();
  };
  const transform = parser._transform.bind(parser);
  const flush = parser._flush.bind(parser);
  parser._transform = (chunk, encoding, callback) => transform(chunk, encoding, inBand(callback));
  parser._flush = (callback) => flush(inBand(callback));
  return parser;
}

/**
 * Numbers records by the physical line they start on (header = 1). csv-parse only reports where
 * a record ends, and counts CRLF inside quotes twice, so lines are counted from the fields.
 */
export class LineCounter {
  private next = 1;

  /** The record's first line, or null for a blank line (skipped silently). */
  lineOf(fields: string[]): number | null {
    const line = this.next;
    this.next += linesSpanned(fields);
    return isBlankRecord(fields) ? null : line;
  }

  /** The parse error in the product's words, naming the line where the broken record starts. */
  explain(failure: CsvParseFailure): Refusal {
    const line = this.next;
    switch (failure.error.code) {
      case "CSV_QUOTE_NOT_CLOSED":
        return unusableFile("a quoted field starts here and is never closed, so the file cannot be read", line);
      case "CSV_MAX_RECORD_SIZE":
        return unusableFile(`a record is longer than ${MAX_RECORD_CHARS / 1024 / 1024} MB; is this a CSV file?`, line);
      default:
        return unusableFile(`the CSV cannot be read (${failure.error.message})`, line);
    }
  }
}

/**
 * The parser's records with their line numbers, in batches; blank lines are skipped. A file that
 * cannot be parsed throws, after every record before the break was yielded.
 */
export async function* csvRecords(parser: Parser): AsyncGenerator<SourceRecord[]> {
  const lines = new LineCounter();
  for await (const batch of inBatches<string[] | CsvParseFailure>(parser)) {
    const records: SourceRecord[] = [];
    for (const record of batch) {
      if (record instanceof CsvParseFailure) {
        if (records.length) yield records;
        throw lines.explain(record);
      }
      const line = lines.lineOf(record);
      if (line !== null) records.push({ line, fields: record });
    }
    if (records.length) yield records;
  }
}

/** A record is a blank line when it is one field of nothing but white space. */
export function isBlankRecord(fields: string[]): boolean {
  return fields.length === 1 && fields[0]!.trim() === "";
}

/** Physical lines a record spans: one, plus the line breaks inside its quoted fields. */
const LINE_BREAK = /[\r\n]/;
const LINE_BREAKS = /\r\n|\r|\n/g;

export function linesSpanned(fields: string[]): number {
  let lines = 1;
  for (const field of fields) {
    if (LINE_BREAK.test(field)) lines += field.match(LINE_BREAKS)!.length;
  }
  return lines;
}

/**
 * A CSV file's bytes as records, in its dialect: UTF-8 goes to the parser as bytes (its own
 * decoding is the fastest), other encodings through iconv-lite. The same on either thread.
 */
export function readCsv(bytes: Readable, dialect: Pick<Dialect, "encoding" | "delimiter" | "quote">) {
  const text = dialect.encoding === "utf-8" ? bytes : bytes.pipe(iconv.decodeStream(dialect.encoding) as unknown as Transform);
  if (text !== bytes) bytes.on("error", (error) => text.destroy(error));
  const parser = csvRecordStream(dialect);
  // Read through `records` (which sees the parser's error when it gets there), not as events.
  parser.on("error", () => {});
  text.on("error", (error) => parser.destroy(error));
  text.pipe(parser);
  const close = async () => {
    parser.destroy();
    text.destroy();
  };
  return { records: csvRecords(parser), close };
}

/**
 * The header record as the first bytes of a file show it, or null when they do not hold it whole
 * (no record follows it yet). Read the same way as the whole file, so it is the same header.
 */
export async function headerInSample(sample: Buffer, dialect: Pick<Dialect, "encoding" | "delimiter" | "quote">): Promise<string[] | null> {
  const { records, close } = readCsv(Readable.from([sample], { objectMode: false }), dialect);
  const seen: SourceRecord[] = [];
  try {
    for await (const batch of records) {
      seen.push(...batch);
      if (seen.length >= 2) return seen[0]!.fields;
    }
  } catch {
    // A sample cut inside a quoted field ends "unterminated": the whole file decides.
  } finally {
    await close();
  }
  return null;
}
