import type { Readable } from "node:stream";
import { headerInSample } from "../files/csv-records.js";
import { Refusal } from "../refusal.js";
import { BYTES_AHEAD, type FromParseWorker, type ParseWorkerData, type ToParseWorker } from "./parse-protocol.js";
import { releaseParseWorker, takeParseWorker } from "./parse-workers.js";
import type { ColumnInputs, RowsForCopy } from "./row-encoder.js";
import { emptyFile, type RowSource } from "./row-source.js";

export const PARSER_STOPPED = "The file reader stopped unexpectedly, so nothing was imported. Upload the file again.";

/** A message, or the end of the worker, as the reading side awaits them. */
type Inbox = { message: FromParseWorker } | { exited: number } | { error: Error };

/** The messages after which the worker has finished this upload and may read another. */
const FINISHED: FromParseWorker["type"][] = ["end", "refused", "input-failed"];

/**
 * A CSV upload read in a worker thread (parse-worker.ts): this side only moves bytes in and COPY
 * text out, so the request thread stays free for requests. The bytes wait while the worker is
 * more than BYTES_AHEAD behind; the worker waits while its rows are not taken in.
 */
export function rowsFromWorker(bytes: Readable, dialect: ParseWorkerData["dialect"], sample?: Buffer): RowSource {
  const worker = takeParseWorker();
  const post = (message: ToParseWorker, transfer?: ArrayBuffer[]) => worker.postMessage(message, transfer);
  const inbox: Inbox[] = [];
  let wake: (() => void) | null = null;
  const deliver = (item: Inbox) => {
    inbox.push(item);
    wake?.();
    wake = null;
  };
  let ahead = 0;
  let roomWaiter: (() => void) | null = null;
  let finished = false;
  const onMessage = (message: FromParseWorker) => {
    if (message.type === "took") {
      ahead -= message.bytes;
      if (ahead < BYTES_AHEAD) roomWaiter?.();
      return;
    }
    if (FINISHED.includes(message.type)) finished = true;
    deliver({ message });
  };
  const onError = (error: Error) => deliver({ error });
  const onExit = (code: number) => {
    roomWaiter?.();
    deliver({ exited: code });
  };
  worker.on("message", onMessage).on("error", onError).on("exit", onExit);
  post({ type: "start", dialect });

  let sourceFailure: unknown = null;
  let closed = false;
  const pump = (async () => {
    try {
      for await (const chunk of bytes as AsyncIterable<Buffer>) {
        if (closed) return;
        // A copy of just these bytes: a Buffer may be a slice of a larger pooled buffer.
        const copy = new Uint8Array(chunk);
        ahead += copy.byteLength;
        post({ type: "bytes", chunk: copy }, [copy.buffer]);
        while (ahead >= BYTES_AHEAD && !closed) await new Promise<void>((resolve) => (roomWaiter = resolve));
      }
      if (!closed) post({ type: "input-end" });
    } catch (error) {
      sourceFailure = error;
      if (!closed) post({ type: "input-failed" });
    }
  })();

  async function next(): Promise<FromParseWorker> {
    for (;;) {
      const item = inbox.shift();
      if (!item) {
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      if ("message" in item) {
        if (item.message.type === "input-failed") throw sourceFailure;
        if (item.message.type === "refused") throw new Refusal("invalid", item.message.message);
        if (item.message.type === "crashed") throw new Error(`The file reader failed: ${item.message.message}`);
        return item.message;
      }
      // The source's own failure (a cut-off or oversized upload) says more than the worker's end.
      if (sourceFailure) throw sourceFailure;
      throw new Refusal("busy", PARSER_STOPPED, { cause: "error" in item ? item.error : undefined });
    }
  }

  let workerHeader: Promise<string[]> | null = null;
  const headerFromWorker = () =>
    (workerHeader ??= next().then((first) => {
      if (first.type === "end") throw emptyFile();
      if (first.type !== "header") throw new Error(`The file reader sent ${first.type} before the header.`);
      return first.fields;
    }));

  return {
    // From the first bytes when they hold it, so the import exists at once even while a new worker
    // is still starting (an upload that then goes silent must be seen, and timed out, as one).
    async header() {
      return (sample && (await headerInSample(sample, dialect))) ?? headerFromWorker();
    },
    async *rows(inputs: ColumnInputs): AsyncGenerator<RowsForCopy> {
      const header = await headerFromWorker();
      if (header.join("\u0000") !== inputs.header.join("\u0000"))
        throw new Error("The file reader read another header than the file's first bytes show.");
      post({ type: "columns", inputs });
      for (;;) {
        const message = await next();
        if (message.type === "end") return;
        if (message.type !== "rows") throw new Error(`The file reader sent ${message.type} among its rows.`);
        yield message.rows;
        post({ type: "ack" });
      }
    },
    async close() {
      closed = true;
      roomWaiter?.();
      bytes.destroy();
      await pump;
      worker.off("message", onMessage).off("error", onError).off("exit", onExit);
      // Stopped half-way (a refused header, a cancel), it may still be waiting: not worth keeping.
      await releaseParseWorker(worker, finished);
    },
  };
}
