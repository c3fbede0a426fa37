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
 * Far above what reading needs (records are at most 8 MB), far below what would crowd the server.
 * The young generation is where parsing's short-lived strings die: too small (8 MB) and collecting
 * them slows parsing, unbounded and the process holds tens of megabytes more.
 */
const WORKER_HEAP_MB = 48;
const WORKER_YOUNG_MB = 24;

/** Workers kept for the next upload: starting one costs about a second (tsx compiles its modules). */
const MAX_IDLE = Math.max(1, availableParallelism() - 1);
const idle: Worker[] = [];

/** Workers reading an upload right now, so a test can stop one the way a crash would. */
export const readingParseWorkers = new Set<Worker>();

function startWorker(): Worker {
  const worker = new Worker(BOOT, {
    eval: true,
    workerData: { loader: LOADER, entry: ENTRY },
    // It holds a few megabytes of bytes and rows at a time; a tight heap keeps it collecting early.
    resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB, maxYoungGenerationSizeMb: WORKER_YOUNG_MB },
  });
  worker.on("error", () => {});
  worker.once("exit", () => {
    const at = idle.indexOf(worker);
    if (at !== -1) idle.splice(at, 1);
    readingParseWorkers.delete(worker);
  });
  return worker;
}

/** A worker for one upload: a kept one, or a new one. */
export function takeParseWorker(): Worker {
  const worker = idle.pop() ?? startWorker();
  worker.ref();
  readingParseWorkers.add(worker);
  return worker;
}

/** A worker whose upload ended cleanly waits for the next; one in an unknown state is stopped. */
export async function releaseParseWorker(worker: Worker, reusable: boolean): Promise<void> {
  readingParseWorkers.delete(worker);
  if (reusable && idle.length < MAX_IDLE) {
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
  const worker = startWorker();
  worker.unref();
  idle.push(worker);
}

/** Stops the kept workers (at shutdown). */
export async function stopParseWorkers(): Promise<void> {
  await Promise.all(idle.splice(0).map((worker) => worker.terminate()));
}
