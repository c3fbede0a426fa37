import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";

/**
 * The worker is TypeScript like the rest, so it registers tsx's loader first, as `node --import
 * tsx` does for main.ts (a worker's own `--import` is not run on every Node version we support).
 */
const BOOT = `
const { workerData } = require("node:worker_threads");
import(workerData.loader).then(({ register }) => register()).then(() => import(workerData.entry));`;
// Its ESM entry (the CommonJS one cannot register from a worker); a bare name resolves from the working directory.
const LOADER = typeof import.meta.resolve === "function" ? import.meta.resolve("tsx/esm/api") : "tsx/esm/api";
const ENTRY = new URL("./parse-worker.ts", import.meta.url).href;

/**
 * A CSV reader's heap: far above what reading needs (records are at most 8 MB), far below what
 * would crowd the server. A workbook's reader gets more: a slice of its sheet's XML can name
 * shared texts many times its own size (the table itself lives outside the heap, capped in
 * file-limits.ts); past its limit the worker ends and the import fails, never the server.
 * The young generation is where parsing's short-lived strings die: too small (8 MB) and collecting
 * them slows parsing, unbounded and the process holds tens of megabytes more.
 */
export type ParseWorkerKind = "csv" | "workbook";
const HEAP_LIMITS: Record<ParseWorkerKind, { maxOldGenerationSizeMb: number; maxYoungGenerationSizeMb: number }> = {
  csv: { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 24 },
  workbook: { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 24 },
};

/**
 * CSV readers kept for the next file: starting one costs about a second (tsx compiles its
 * modules). A workbook's reader is never kept: it may end holding hundreds of megabytes that an
 * idle worker would never collect.
 */
const MAX_IDLE = Math.max(1, availableParallelism() - 1);
const idle: Worker[] = [];
const workbookReaders = new WeakSet<Worker>();

/** Workers reading an upload right now, so a test can stop one the way a crash would. */
export const readingParseWorkers = new Set<Worker>();

function startWorker(kind: ParseWorkerKind): Worker {
  const worker = new Worker(BOOT, { eval: true, workerData: { loader: LOADER, entry: ENTRY }, resourceLimits: HEAP_LIMITS[kind] });
  if (kind === "workbook") workbookReaders.add(worker);
  worker.on("error", () => {});
  worker.once("exit", () => {
    const at = idle.indexOf(worker);
    if (at !== -1) idle.splice(at, 1);
    readingParseWorkers.delete(worker);
  });
  return worker;
}

/** A worker for one file: a kept one, or a new one. */
export function takeParseWorker(kind: ParseWorkerKind = "csv"): Worker {
  const worker = (kind === "csv" && idle.pop()) || startWorker(kind);
  worker.ref();
  readingParseWorkers.add(worker);
  return worker;
}

/** A worker whose file ended cleanly may wait for the next; one in an unknown state is stopped. */
export async function releaseParseWorker(worker: Worker, reusable: boolean): Promise<void> {
  readingParseWorkers.delete(worker);
  if (reusable && !workbookReaders.has(worker) && idle.length < MAX_IDLE) {
    // A kept worker must not hold the process open.
    worker.unref();
    idle.push(worker);
    return;
  }
  await worker.terminate();
}

/** Starts one worker ahead of the first large upload, so it does not wait for the compile. */
export function warmUpParseWorker(): void {
  if (idle.length) return;
  const worker = startWorker("csv");
  worker.unref();
  idle.push(worker);
}

/** Stops the kept workers (at shutdown). */
export async function stopParseWorkers(): Promise<void> {
  await Promise.all(idle.splice(0).map((worker) => worker.terminate()));
}
