import type { Readable } from "node:stream";
import { headerInSample } from "../../files/csv-records.js";
import { formatOf } from "../../files/file-format.js";
import type { FileSample } from "../../files/file-sample.js";
import type { SheetInfo } from "../../files/xlsx-records.js";
import { Refusal } from "../../refusal.js";
import { BYTES_AHEAD, type FromParseWorker, type ParseWorkerData, type ToParseWorker } from "./parse-protocol.js";
import { releaseParseWorker, takeParseWorker, type ParseWorkerKind } from "./parse-worker-pool.js";
import type { ColumnInputs, RowsForCopy } from "./row-encoder.js";
import { emptyFile, type RowSource } from "./row-source.js";

export const PARSER_STOPPED = "The file reader stopped unexpectedly, so nothing was imported. Upload the file again.";
export const WORKBOOK_TOO_LARGE =
  "The workbook needs more memory to read than one file may take, so nothing was imported. Save the sheet as CSV (any size reads in little memory), or split it.";

/** A message, or the end of the worker, as the reading side awaits them. */
type Inbox = { message: FromParseWorker } | { exited: number } | { error: Error };

/** The messages after which the worker has finished this upload and may read another. */
const FINISHED: FromParseWorker["type"][] = ["end", "refused", "input-failed"];

/** Why a worker ended on its own: out of its heap is the file's doing, anything else the server's. */
function workerEnded(error: Error | undefined, kind: ParseWorkerKind): Refusal {
  if ((error as { code?: string } | undefined)?.code === "ERR_WORKER_OUT_OF_MEMORY") {
    return kind === "workbook"
      ? new Refusal("invalid", WORKBOOK_TOO_LARGE, { cause: error })
      : new Refusal("invalid", "The file needs more memory to read than one file may take, so nothing was imported.", { cause: error });
  }
  return new Refusal("busy", PARSER_STOPPED, { cause: error });
}

/** One upload's exchange with a parse worker: messages in order, the worker's end as a refusal. */
function converse(kind: ParseWorkerKind, onTook: (bytes: number) => void) {
  const worker = takeParseWorker(kind);
  const inbox: Inbox[] = [];
  let wake: (() => void) | null = null;
  let sourceFailure: unknown = null;
  let finished = false;
  let exitWaiter: (() => void) | null = null;
  const deliver = (item: Inbox) => {
    inbox.push(item);
    wake?.();
    wake = null;
  };
  const onMessage = (message: FromParseWorker) => {
    if (message.type === "took") return onTook(message.bytes);
    if (FINISHED.includes(message.type)) finished = true;
    deliver({ message });
  };
  const onError = (error: Error) => deliver({ error });
  const onExit = (code: number) => {
    exitWaiter?.();
    deliver({ exited: code });
  };
  worker.on("message", onMessage).on("error", onError).on("exit", onExit);

  return {
    post: (message: ToParseWorker, transfer?: ArrayBuffer[]) => worker.postMessage(message, transfer),
    /** The source's own failure (a cut-off or oversized upload) says more than the worker's end. */
    sourceFailed: (error: unknown) => (sourceFailure = error),
    onExit: (waiter: () => void) => (exitWaiter = waiter),
    async next(): Promise<FromParseWorker> {
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
        if (sourceFailure) throw sourceFailure;
        throw workerEnded("error" in item ? item.error : undefined, kind);
      }
    },
    /** Stopped half-way (a refused header, a cancel), it may still be waiting: never worth keeping. */
    async release(keep = true): Promise<void> {
      worker.off("message", onMessage).off("error", onError).off("exit", onExit);
      await releaseParseWorker(worker, keep && finished);
    },
  };
}

type Conversation = ReturnType<typeof converse>;

/** The header, then the rows once the columns are known: the same for a CSV and a workbook. */
function rowsOf(talk: Conversation) {
  let header: Promise<string[]> | null = null;
  const headerFromWorker = () =>
    (header ??= talk.next().then((first) => {
      if (first.type === "end") throw emptyFile();
      if (first.type !== "header") throw new Error(`The file reader sent ${first.type} before the header.`);
      return first.fields;
    }));
  async function* rows(inputs: ColumnInputs): AsyncGenerator<RowsForCopy> {
    const read = await headerFromWorker();
    if (read.join("\u0000") !== inputs.header.join("\u0000"))
      throw new Error("The file reader read another header than the file's first bytes show.");
    talk.post({ type: "columns", inputs });
    for (;;) {
      const message = await talk.next();
      if (message.type === "end") return;
      if (message.type !== "rows") throw new Error(`The file reader sent ${message.type} among its rows.`);
      yield message.rows;
      talk.post({ type: "ack" });
    }
  }
  return { headerFromWorker, rows };
}

/**
 * A CSV upload read in a worker thread (parse-worker.ts): this side only moves bytes in and COPY
 * text out, so the request thread stays free for requests. The bytes wait while the worker is
 * more than BYTES_AHEAD behind; the worker waits while its rows are not taken in.
 */
export function rowsFromWorker(bytes: Readable, dialect: ParseWorkerData["dialect"], sample?: Buffer): RowSource {
  let ahead = 0;
  let roomWaiter: (() => void) | null = null;
  const talk = converse("csv", (taken) => {
    ahead -= taken;
    if (ahead < BYTES_AHEAD) roomWaiter?.();
  });
  talk.onExit(() => roomWaiter?.());
  talk.post({ type: "start", dialect });

  let closed = false;
  const pump = (async () => {
    try {
      for await (const chunk of bytes as AsyncIterable<Buffer>) {
        if (closed) return;
        // A copy of just these bytes: a Buffer may be a slice of a larger pooled buffer.
        const copy = new Uint8Array(chunk);
        ahead += copy.byteLength;
        talk.post({ type: "bytes", chunk: copy }, [copy.buffer]);
        while (ahead >= BYTES_AHEAD && !closed) await new Promise<void>((resolve) => (roomWaiter = resolve));
      }
      if (!closed) talk.post({ type: "input-end" });
    } catch (error) {
      talk.sourceFailed(error);
      if (!closed) talk.post({ type: "input-failed" });
    }
  })();

  const { headerFromWorker, rows } = rowsOf(talk);
  return {
    // From the first bytes when they hold it, so the import exists at once even while a new worker
    // is still starting (an upload that then goes silent must be seen, and timed out, as one).
    async header() {
      return (sample && (await headerInSample(sample, dialect))) ?? headerFromWorker();
    },
    rows,
    sheet: () => null,
    async close() {
      closed = true;
      roomWaiter?.();
      bytes.destroy();
      await pump;
      await talk.release();
    },
  };
}

/**
 * A workbook's sheet read in a worker thread from its temporary file: the worker opens it, picks
 * the sheet, and reads it under its heap limit, so a workbook built to take all memory ends the
 * worker and fails the import, never the server.
 */
export function rowsFromWorkbookWorker(file: string, wantedSheet: string | undefined): RowSource {
  const talk = converse("workbook", () => {});
  talk.post({ type: "start-workbook", file, sheet: wantedSheet });
  let sheet: SheetInfo | null = null;
  const { headerFromWorker, rows } = rowsOf({
    ...talk,
    async next() {
      const message = await talk.next();
      if (message.type !== "sheet") return message;
      sheet = message.sheet;
      return talk.next();
    },
  });
  return { header: headerFromWorker, rows, sheet: () => sheet, close: () => talk.release() };
}

function readsAsCsv(bytes: Buffer, filename: string): boolean {
  try {
    return formatOf(bytes, { filename }) === "csv";
  } catch {
    return false;
  }
}

/** Inspections waiting for the sampling worker; past this many, the next is told to wait. */
const MAX_WAITING_SAMPLES = 25;
let waitingSamples = 0;
let samplerFree: Promise<unknown> = Promise.resolve();

/**
 * A file's first bytes read in a worker thread, one file at a time (imports.inspect): parsing a
 * sample of a wide header costs tens of milliseconds of CPU, and a few kilobytes of workbook can
 * inflate to gigabytes; neither may cost the thread answering requests, nor more than one thread.
 */
export async function sampleInWorker(bytes: Buffer, input: Omit<Extract<ToParseWorker, { type: "sample" }>, "type" | "bytes">): Promise<FileSample> {
  if (waitingSamples >= MAX_WAITING_SAMPLES) {
    throw new Refusal("busy", "This server is reading many files' first bytes at once; try again in a few seconds.", { retryAfterSeconds: 5 });
  }
  waitingSamples += 1;
  const turn = samplerFree.then(async () => {
    waitingSamples -= 1;
    // A CSV reader's tight heap is plenty for 64 KB; a hostile workbook sample that inflates past it ends the worker.
    const talk = converse("csv", () => {});
    try {
      const copy = new Uint8Array(bytes);
      talk.post({ type: "sample", bytes: copy, ...input }, [copy.buffer]);
      const answer = await talk.next();
      if (answer.type !== "sample") throw new Error(`The file reader sent ${answer.type} instead of a sample.`);
      await talk.next(); // its "end": the worker is free for the next file
      return answer.sample;
    } finally {
      // After a workbook it may hold what the workbook inflated to: not kept.
      await talk.release(readsAsCsv(bytes, input.filename));
    }
  });
  samplerFree = turn.catch(() => {});
  return turn;
}
