import { Readable } from "node:stream";
import { Refusal } from "../refusal.js";
import type { SourceRecord } from "./csv-records.js";
import type { Dialect } from "./dialect.js";
import type { FileFormat } from "./file-format.js";
import { openFile, type FileChoice } from "./open-file.js";
import { assertUsableHeader } from "./unusable-file.js";
import type { SheetInfo } from "./xlsx-records.js";

/** How a file's first bytes read: its format and dialect or sheet, and its first records. */
export interface FileSample {
  format: FileFormat;
  dialect: Dialect | null;
  sheet: SheetInfo | null;
  /** The header, then at most the rows asked for. */
  records: SourceRecord[];
}

/**
 * A file's first bytes read the way its upload will be: at most `rows` rows after the header,
 * less a last record the sample may have cut short. A workbook can only be read whole (its zip
 * directory is at its end); a cut one gives no records.
 */
export async function readFileSample(
  bytes: Buffer,
  input: { filename: string; reading: FileChoice; wholeFile: boolean; rows: number },
): Promise<FileSample> {
  // A packed file's sample is its beginning: the archive ends early, no fault of the file's.
  const file = await openFile(Readable.from([bytes]), { filename: input.filename }, input.reading, { prefix: !input.wholeFile });
  try {
    const records = file.workbook && !input.wholeFile ? [] : await firstRecords(file.records, input.wholeFile, input.rows + 1);
    if (records[0]) assertUsableHeader(records[0].fields);
    return { format: file.format, dialect: file.dialect, sheet: file.sheet(), records: records.slice(0, input.rows + 1) };
  } finally {
    await file.close();
  }
}

async function firstRecords(all: AsyncIterable<SourceRecord[]>, wholeFile: boolean, wanted: number): Promise<SourceRecord[]> {
  const records: SourceRecord[] = [];
  try {
    for await (const batch of all) {
      records.push(...batch);
      if (records.length > wanted) break;
    }
  } catch (error) {
    // A record cut by the end of the sample is the sample's fault, not the file's.
    if (wholeFile || !(error instanceof Refusal)) throw error;
    return records.slice(0, -1);
  }
  return wholeFile || records.length > wanted ? records : records.slice(0, -1);
}
