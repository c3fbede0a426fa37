import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { readCsv, type SourceRecord } from "./csv-records.js";
import { detectDialect, type Dialect } from "./dialect.js";
import { SAMPLE_BYTES, type Delimiter, type Encoding } from "./dialect.schema.js";
import { formatOf, type FileFormat } from "./file-format.js";
import { gunzipped, onlyZipEntry, packingOf, unpackedName, zipSampleEntry, type PackedReading } from "./packed-file.js";
import { unusableFile } from "./unusable-file.js";
import { chooseSheet, openWorkbook as openWorkbookParts, xlsxRecords, type SheetInfo } from "./xlsx-records.js";

/** What the person uploading chose about reading the file (CONTRACT.md's upload options). */
export interface FileChoice {
  encoding?: Encoding | "auto";
  delimiter?: Delimiter | "auto";
  /** A spreadsheet's sheet: its name or 1-based number. */
  sheet?: string;
}

export interface OpenedFile {
  format: FileFormat;
  /** How a CSV file was read (null for a spreadsheet). */
  dialect: Dialect | null;
  /** The spreadsheet's sheet being read (null for CSV, and for a workbook until `records` is read). */
  sheet(): SheetInfo | null;
  /** The file's records with their line numbers, in batches, read on this thread. */
  records: AsyncIterable<SourceRecord[]>;
  /** A CSV file's bytes (the sample included), for reading elsewhere instead of through `records`. */
  csv: { bytes: Readable; sample: Buffer; wholeFile: boolean } | null;
  /** A workbook's temporary copy and the sheet asked for, for reading elsewhere instead of through `records`. */
  workbook: { file: string; wantedSheet: string | undefined } | null;
  /** Stops reading and frees what the file holds (streams, a temporary copy); safe to call twice. */
  close(): Promise<void>;
}

/** How long sampling waits for more bytes once some have arrived: a slow upload is not held up. */
const SAMPLE_WAIT_MS = 50;

/**
 * The stream's first bytes (up to SAMPLE_BYTES, or what arrived before it paused), and a stream of
 * all of it, the sample included. A stream that fails while it is sampled (cut off, over the size
 * limit) still yields what arrived before failing, so its header and rows are seen first.
 */
async function sampleOf(bytes: Readable): Promise<{ sample: Buffer; wholeFile: boolean; all: Readable }> {
  const chunks = bytes[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const taken: Buffer[] = [];
  let size = 0;
  let wholeFile = false;
  let failure: unknown = null;
  let pending: Promise<IteratorResult<Buffer>> | null = null;
  while (size < SAMPLE_BYTES) {
    const next: Promise<IteratorResult<Buffer> | "paused"> = (pending ??= chunks.next());
    let timer: NodeJS.Timeout | undefined;
    const paused = taken.length ? new Promise<"paused">((resolve) => (timer = setTimeout(() => resolve("paused"), SAMPLE_WAIT_MS))) : null;
    const step = await (paused ? Promise.race([next, paused]) : next).catch((error: unknown) => ((failure = error), "failed" as const));
    clearTimeout(timer);
    if (step === "paused") break;
    pending = null;
    if (step === "failed" || step.done) {
      wholeFile = step !== "failed";
      break;
    }
    taken.push(step.value);
    size += step.value.length;
  }
  const sample = Buffer.concat(taken);
  async function* everything() {
    yield sample;
    if (failure !== null) throw failure;
    if (wholeFile) return;
    for (let next = await (pending ?? chunks.next()); !next.done; next = await chunks.next()) yield next.value;
  }
  return { sample, wholeFile, all: Readable.from(everything(), { objectMode: false }) };
}

/**
 * A sample that is not UTF-8 (nor UTF-16) and holds NUL bytes is a binary file. A UTF-8 text file
 * with a stray NUL is still text: the row holding it is rejected, line by line.
 */
function assertTextSample(sample: Buffer, dialect: Dialect): void {
  if (dialect.encoding !== "windows-1252" || dialect.encodingFrom !== "content" || !sample.includes(0)) return;
  throw unusableFile("This is not a CSV text file (it contains binary data). Save it as CSV, UTF-8, or as an .xlsx workbook.");
}

/**
 * The bytes of an upload as records: a CSV read in its dialect (detected from the first 64 KB
 * unless chosen), or a workbook's sheet; packed in gzip or a zip, unpacked as they stream (once:
 * an archive inside an archive is refused). A workbook is written to a temporary file first, since its
 * directory sits at its end and its parts are read by name; the file is removed once its rows have
 * been read.
 */
export async function openFile(
  bytes: Readable,
  file: { filename: string; contentType?: string },
  choice: FileChoice = {},
  unpacking: PackedReading & { inArchive?: boolean } = {},
): Promise<OpenedFile> {
  const { sample, wholeFile, all } = await sampleOf(bytes);
  const packing = packingOf(sample, file);
  if (packing && unpacking.inArchive) throw unusableFile("The archive holds another archive; pack the CSV, TSV or workbook itself.");
  const unpacked = { ...unpacking, inArchive: true };
  if (packing === "gzip") return openFile(gunzipped(all, unpacking), { filename: unpackedName(file.filename) }, choice, unpacked);
  if (packing === "zip" && unpacking.prefix) {
    const entry = zipSampleEntry(sample);
    if (!entry) throw unusableFile("The beginning of the zip holds no file to look into; it is read when it is uploaded.");
    return openFile(Readable.from([entry.content]), { filename: entry.name }, choice, unpacked);
  }
  if (packing === "zip") {
    const entry = await onlyZipEntry(all);
    return openFile(entry.content, { filename: entry.name }, choice, unpacked);
  }
  const format = formatOf(sample, file);
  if (format === "xlsx") return openWorkbook(all, choice.sheet);
  const dialect = detectDialect(sample, choice, wholeFile);
  assertTextSample(sample, dialect);
  let reading: ReturnType<typeof readCsv> | null = null;
  const read = () => (reading ??= readCsv(all, dialect));
  const close = async () => {
    if (reading) await reading.close();
    all.destroy();
  };
  // Parsed here only when iterated: a large file may instead be handed to a worker thread as bytes.
  const records: AsyncIterable<SourceRecord[]> = { [Symbol.asyncIterator]: () => read().records[Symbol.asyncIterator]() };
  return { format, dialect, sheet: () => null, records, csv: { bytes: all, sample, wholeFile }, workbook: null, close };
}

/**
 * A workbook is only stored here: its parts are read where its records are (on this thread through
 * `records`, or in a worker thread from `workbook.file`), so a hostile one is never read unasked.
 */
async function openWorkbook(bytes: Readable, wanted: string | undefined): Promise<OpenedFile> {
  const folder = await mkdtemp(path.join(os.tmpdir(), "product-importer-xlsx-"));
  const file = path.join(folder, "upload.xlsx");
  const removeFolder = () => rm(folder, { recursive: true, force: true });
  try {
    await pipeline(bytes, createWriteStream(file));
  } catch (error) {
    await removeFolder();
    throw error;
  }
  let chosen: SheetInfo | null = null;
  async function* readHere(): AsyncGenerator<SourceRecord[]> {
    const workbook = await openWorkbookParts(file);
    chosen = chooseSheet(workbook.sheets, wanted);
    yield* xlsxRecords(workbook, chosen);
  }
  const records = readHere();
  const close = async () => {
    await records.return(undefined);
    await removeFolder();
  };
  return { format: "xlsx", dialect: null, sheet: () => chosen, records, csv: null, workbook: { file, wantedSheet: wanted }, close };
}
