/**
 * A worker thread that reads uploads, one at a time: a CSV's bytes or a workbook's file in, COPY
 * text and rejected rows out (the other side is worker-row-source.ts). Parsing and validating half a
 * million rows takes seconds of CPU; here they never hold up the thread that answers requests, and
 * a file that would take more memory than the worker's heap limit ends the worker, not the server.
 * A worker is kept for the next upload once one ends cleanly (starting one costs about a second:
 * tsx compiles its modules).
 */
import { Readable } from "node:stream";
import { parentPort } from "node:worker_threads";
import { readCsv, type SourceRecord } from "../../files/csv-records.js";
import { readFileSample } from "../../files/file-sample.js";
import { assertUsableHeader } from "../../files/unusable-file.js";
import { chooseSheet, openWorkbook, xlsxRecords, type SheetInfo } from "../../files/xlsx-records.js";
import { Refusal } from "../../refusal.js";
import { BATCHES_AHEAD, type FromParseWorker, type ParseWorkerData, type ToParseWorker } from "./parse-protocol.js";
import { emptyEncodedRows, RowEncoder, type ColumnInputs, type EncodedRows } from "./row-encoder.js";
import { BATCH_CHARS, BATCH_ROWS } from "../../files/batch-sizes.js";

const port = parentPort!;
const send = (message: FromParseWorker, transfer?: ArrayBuffer[]) => port.postMessage(message, transfer);
const utf8 = new TextEncoder();

class InputFailed extends Error {}

/** A workbook's chosen sheet, told to the other side before its rows. */
async function openSheet(file: string, wanted: string | undefined): Promise<{ sheet: SheetInfo; records: AsyncGenerator<SourceRecord[]> }> {
  const workbook = await openWorkbook(file);
  const sheet = chooseSheet(workbook.sheets, wanted);
  return { sheet, records: xlsxRecords(workbook, sheet) };
}

/** A file's first bytes read as its upload would read them, for inspection. */
async function sample(message: Extract<ToParseWorker, { type: "sample" }>): Promise<void> {
  const { bytes, ...input } = message;
  send({ type: "sample", sample: await readFileSample(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), input) });
}

type Source = { kind: "csv"; dialect: ParseWorkerData["dialect"] } | { kind: "workbook"; file: string; sheet: string | undefined };

/** One upload being read: a CSV's bytes as they arrive (or a workbook's file), the columns once known, the credit for sending rows. */
class Reading {
  private readonly queued: Buffer[] = [];
  private inputEnded = false;
  private inputFailed = false;
  private wanted = false;
  private credits = BATCHES_AHEAD;
  private creditWaiter: (() => void) | null = null;
  private columnsWaiter: ((inputs: ColumnInputs) => void) | null = null;
  private readonly input = new Readable({
    read: () => {
      this.wanted = true;
      this.feed();
    },
  });

  constructor(private readonly source: Source) {}

  receive(message: ToParseWorker): void {
    switch (message.type) {
      case "bytes":
        this.queued.push(Buffer.from(message.chunk.buffer, message.chunk.byteOffset, message.chunk.byteLength));
        return this.feed();
      case "input-end":
        this.inputEnded = true;
        return this.feed();
      case "input-failed":
        this.inputFailed = true;
        return this.feed();
      case "columns":
        this.columnsWaiter?.(message.inputs);
        return;
      case "ack":
        this.credits += 1;
        this.creditWaiter?.();
        this.creditWaiter = null;
        return;
      default:
        return;
    }
  }

  /** Hands queued bytes to the parser while it wants them; each chunk taken lets one more in. */
  private feed(): void {
    while (this.wanted && this.queued.length) {
      const chunk = this.queued.shift()!;
      send({ type: "took", bytes: chunk.length });
      this.wanted = this.input.push(chunk);
    }
    if (this.queued.length) return;
    if (this.inputFailed) this.input.destroy(new InputFailed());
    else if (this.inputEnded) this.input.push(null);
  }

  private async sendRows(rows: EncodedRows): Promise<void> {
    // Rows held for their product's images come after the file's last record: nothing read, something to send.
    if (!rows.rows && !rows.copyText && !rows.warnings.length) return;
    while (this.credits === 0) await new Promise<void>((resolve) => (this.creditWaiter = resolve));
    this.credits -= 1;
    // As bytes in a buffer of their own, moved to the other thread: it never decodes or copies them.
    const copyText = utf8.encode(rows.copyText);
    send({ type: "rows", rows: { ...rows, copyText } }, [copyText.buffer as ArrayBuffer]);
  }

  private async records(): Promise<AsyncIterable<SourceRecord[]>> {
    if (this.source.kind === "csv") return readCsv(this.input, this.source.dialect).records;
    const { sheet, records } = await openSheet(this.source.file, this.source.sheet);
    send({ type: "sheet", sheet });
    return records;
  }

  async run(): Promise<void> {
    const records = await this.records();
    let encoder: RowEncoder | null = null;
    let pending = emptyEncodedRows();
    try {
      for await (const batch of records) {
        let rest = batch;
        if (!encoder) {
          // Checked here too, so a header of a million columns never crosses to the request thread.
          assertUsableHeader(batch[0]!.fields);
          send({ type: "header", fields: batch[0]!.fields });
          const inputs = await new Promise<ColumnInputs>((resolve) => (this.columnsWaiter = resolve));
          encoder = RowEncoder.from(inputs);
          rest = batch.slice(1);
        }
        encoder.encode(rest, pending);
        if (pending.copyText.length >= BATCH_CHARS || pending.rejected.length + pending.notes.skipped.length >= BATCH_ROWS) {
          await this.sendRows(pending);
          pending = emptyEncodedRows();
        }
      }
      encoder?.finish(pending);
    } finally {
      // Rows read before a break still count (their rejections are the user's receipt).
      await this.sendRows(pending);
    }
  }
}

let current: Reading | null = null;

const finish = (work: Promise<void>) =>
  work.then(
    () => send({ type: "end" }),
    (error: unknown) => {
      if (error instanceof InputFailed) send({ type: "input-failed" });
      else if (error instanceof Refusal) send({ type: "refused", message: error.message });
      else send({ type: "crashed", message: error instanceof Error ? error.message : String(error) });
    },
  );

port.on("message", (message: ToParseWorker) => {
  switch (message.type) {
    case "start":
      current = new Reading({ kind: "csv", dialect: message.dialect });
      return finish(current.run());
    case "start-workbook":
      current = new Reading({ kind: "workbook", file: message.file, sheet: message.sheet });
      return finish(current.run());
    case "sample":
      current = null;
      return finish(sample(message));
    default:
      return current?.receive(message);
  }
});
