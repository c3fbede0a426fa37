import { setImmediate as nextTurn } from "node:timers/promises";
import type { SourceRecord } from "../../files/csv-records.js";
import { unusableFile } from "../../files/unusable-file.js";
import type { SheetInfo } from "../../files/xlsx-records.js";
import { emptyEncodedRows, RowEncoder, type ColumnInputs, type RowsForCopy } from "./row-encoder.js";

/** A file's header, then its rows encoded for the staging COPY: read on this thread or in a worker. */
export interface RowSource {
  header(): Promise<string[]>;
  rows(inputs: ColumnInputs): AsyncIterable<RowsForCopy>;
  /** A workbook's sheet once its header was read (null for a CSV). */
  sheet(): SheetInfo | null;
  close(): Promise<void>;
}

export const emptyFile = () => unusableFile("The file is empty; it needs a header naming sku and name.");

/**
 * Work on the request thread steps aside after this long: a fast upload never makes parsing wait
 * for I/O, and one turn of the event loop can hand it megabytes, so other requests would queue
 * behind whole seconds of it. (Large CSV files are read in a worker instead: worker-row-source.ts.)
 */
const YIELD_AFTER_MS = 25;

/** Records read on this thread (a workbook's sheet, or a CSV file small enough to arrive whole). */
export function rowsOnThisThread(
  records: AsyncIterable<SourceRecord[]>,
  close: () => Promise<void>,
  sheet: () => SheetInfo | null = () => null,
): RowSource {
  const batches = records[Symbol.asyncIterator]();
  let rest: SourceRecord[] = [];
  return {
    async header() {
      for (;;) {
        const { done, value } = await batches.next();
        if (done) throw emptyFile();
        if (value.length) {
          rest = value.slice(1);
          return value[0]!.fields;
        }
      }
    },
    async *rows(inputs) {
      const encoder = RowEncoder.from(inputs);
      let workingSince = performance.now();
      for (let batch = rest, next; ; batch = next.value) {
        yield encoder.encode(batch, emptyEncodedRows());
        if (performance.now() - workingSince > YIELD_AFTER_MS) {
          await nextTurn();
          workingSince = performance.now();
        }
        next = await batches.next();
        if (next.done) {
          yield encoder.finish();
          return;
        }
      }
    },
    sheet,
    close,
  };
}
