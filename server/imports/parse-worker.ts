/**
 * A worker thread that reads CSV uploads, one at a time: bytes in, COPY text and rejected rows out
 * (the other side is worker-rows.ts). Parsing and validating half a million rows takes seconds of
 * CPU; here they never hold up the thread that answers requests. A worker is kept for the next
 * upload once one ends cleanly (starting one costs about a second: tsx compiles its modules).
 */
import { Readable } from "node:stream";
import { parentPort } from "node:worker_threads";
import { readCsv } from "../files/csv-records.js";
import { Refusal } from "../refusal.js";
import { BATCH_COPY_CHARS, BATCHES_AHEAD, type FromParseWorker, type ParseWorkerData, type ToParseWorker } from "./parse-protocol.js";
import { emptyEncodedRows, RowEncoder, type ColumnInputs, type EncodedRows } from "./row-encoder.js";

const REJECTED_PER_MESSAGE = 500;
const port = parentPort!;
const send = (message: FromParseWorker, transfer?: ArrayBuffer[]) => port.postMessage(message, transfer);
const utf8 = new TextEncoder();

class InputFailed extends Error {}

/** One upload being read: its bytes as they arrive, the columns once known, the credit for sending rows. */
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

  constructor(private readonly dialect: ParseWorkerData["dialect"]) {}

  receive(message: Exclude<ToParseWorker, { type: "start" }>): void {
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
    if (!rows.rows) return;
    while (this.credits === 0) await new Promise<void>((resolve) => (this.creditWaiter = resolve));
    this.credits -= 1;
    // As bytes in a buffer of their own, moved to the other thread: it never decodes or copies them.
    const copyText = utf8.encode(rows.copyText);
    send({ type: "rows", rows: { ...rows, copyText } }, [copyText.buffer as ArrayBuffer]);
  }

  async run(): Promise<void> {
    const { records } = readCsv(this.input, this.dialect);
    let encoder: RowEncoder | null = null;
    let pending = emptyEncodedRows();
    try {
      for await (const batch of records) {
        let rest = batch;
        if (!encoder) {
          send({ type: "header", fields: batch[0]!.fields });
          const inputs = await new Promise<ColumnInputs>((resolve) => (this.columnsWaiter = resolve));
          encoder = RowEncoder.from(inputs);
          rest = batch.slice(1);
        }
        encoder.encode(rest, pending);
        if (pending.copyText.length >= BATCH_COPY_CHARS || pending.rejected.length >= REJECTED_PER_MESSAGE) {
          await this.sendRows(pending);
          pending = emptyEncodedRows();
        }
      }
    } finally {
      // Rows read before a break still count (their rejections are the user's receipt).
      await this.sendRows(pending);
    }
  }
}

let current: Reading | null = null;

port.on("message", (message: ToParseWorker) => {
  if (message.type !== "start") return current?.receive(message);
  const reading = (current = new Reading(message.dialect));
  reading.run().then(
    () => send({ type: "end" }),
    (error: unknown) => {
      if (error instanceof InputFailed) send({ type: "input-failed" });
      else if (error instanceof Refusal) send({ type: "refused", message: error.message });
      else send({ type: "crashed", message: error instanceof Error ? error.message : String(error) });
    },
  );
});
