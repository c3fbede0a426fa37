import type { Dialect } from "../../files/dialect.js";
import type { FileSample } from "../../files/file-sample.js";
import type { FileChoice } from "../../files/open-file.js";
import type { SheetInfo } from "../../files/xlsx-records.js";
import type { ColumnInputs, RowsForCopy } from "./row-encoder.js";

/** How the upload a worker reads is written. */
export interface ParseWorkerData {
  dialect: Pick<Dialect, "encoding" | "delimiter" | "quote">;
}

/**
 * The request thread to the worker: a new upload (a CSV's bytes as they arrive, or a workbook's
 * temporary file), the columns once known, acks; or a file's first bytes to read for inspection.
 */
export type ToParseWorker =
  | { type: "start"; dialect: ParseWorkerData["dialect"] }
  | { type: "start-workbook"; file: string; sheet: string | undefined }
  | { type: "sample"; bytes: Uint8Array; filename: string; reading: FileChoice; wholeFile: boolean; rows: number }
  | { type: "bytes"; chunk: Uint8Array }
  | { type: "input-end" }
  /** The upload broke off: the worker reads what it has, then stops. */
  | { type: "input-failed" }
  | { type: "columns"; inputs: ColumnInputs }
  /** One `rows` message was taken in: the worker may send another. */
  | { type: "ack" };

/** The worker to the request thread. */
export type FromParseWorker =
  /** Bytes handed to the parser: the request thread may send that many more. */
  | { type: "took"; bytes: number }
  /** The workbook's sheet being read, before its header. */
  | { type: "sheet"; sheet: SheetInfo }
  | { type: "header"; fields: string[] }
  | { type: "sample"; sample: FileSample }
  | { type: "rows"; rows: RowsForCopy & { copyText: Uint8Array } }
  | { type: "end" }
  /** The file cannot be read from here on (a refusal's message, naming the line). */
  | { type: "refused"; message: string }
  /** Everything before the upload broke off was sent. */
  | { type: "input-failed" }
  | { type: "crashed"; message: string };

/**
 * How far the request thread may run ahead of the parser, and the parser ahead of the COPY:
 * enough to keep both threads busy, little enough to keep memory flat on any file size.
 */
export const BYTES_AHEAD = 4 * 1024 * 1024;
export const BATCHES_AHEAD = 4;
