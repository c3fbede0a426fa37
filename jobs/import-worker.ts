import type { JobQueue } from "./job-queue.js";
import { applyWaitingImports, type ApplyDeps } from "../server/imports/apply/apply-imports.js";
import { IMPORT_QUEUE, importsLackAWorker, type ImportScheduler } from "../server/imports/import-queue.js";
import { failStalledUploads } from "../server/imports/upload/stalled-uploads.js";
import { dropExpiredStaging } from "../server/imports/staging/staging-retention.js";
import { repairSearchIndexes } from "../server/products/search-indexes.js";

const SWEEP_EVERY_MS = 10_000;
/** Taken off the shutdown deadline: what handing an import back and closing connections need. */
const HAND_BACK_MARGIN_MS = 1_500;

/**
 * The one way an apply job is sent: by an upload, a retry, the sweeper or a worker stopping. When
 * this process runs a worker, it is woken at once instead of at its next poll.
 */
export function importScheduler(boss: JobQueue): ImportScheduler & { wake(worker: ImportWorker): void } {
  let local: ImportWorker | undefined;
  return {
    async requestApply() {
      await boss.send(IMPORT_QUEUE, {});
      local?.nudge();
    },
    wake: (worker) => (local = worker),
  };
}

export interface ImportWorker {
  /** Wakes this process's worker at once instead of at its next poll. */
  nudge(): void;
  /**
   * Takes no new work; an import being applied may finish until `deadline` (epoch ms), then it is
   * stopped, rolled back and queued again for any worker.
   */
  stop(deadline: number): Promise<void>;
}

export interface ImportWorkerDeps extends Omit<ApplyDeps, "shutdown"> {
  stagedRowsRetentionHours: number;
  scheduler: ImportScheduler;
}

export async function startImportWorker(boss: JobQueue, deps: ImportWorkerDeps): Promise<ImportWorker> {
  const finishing = new AbortController();
  const handBack = new AbortController();
  const shutdown = { finishing: finishing.signal, handBack: handBack.signal };
  const running = new Set<Promise<unknown>>();
  const track = <T>(work: Promise<T>) => {
    const settled: Promise<unknown> = work.then(
      () => running.delete(settled),
      () => running.delete(settled),
    );
    running.add(settled);
    return work;
  };

  const workerId = await boss.work(IMPORT_QUEUE, { batchSize: 1, pollingIntervalSeconds: 1 }, async () => {
    // Never fails the job: what is left to do lives in the imports table, and the sweeper sends a
    // new job when imports wait without a worker (pg-boss 10 does not await its own fail()).
    await track(applyWaitingImports({ ...deps, shutdown })).catch((error: unknown) =>
      deps.log.warn({ error: (error as Error).message }, "applying imports stopped; the sweeper tries again"),
    );
  });

  // Picks up imports a crashed process left queued or half-merged (their merge rolled back) or
  // half-uploaded, staged rows kept too long, and search indexes it left dropped or half-built.
  const sweep = async () => {
    if (await importsLackAWorker(deps.db)) await deps.scheduler.requestApply();
    await failStalledUploads(deps.db, deps.log);
    await dropExpiredStaging(deps.db, deps.log, deps.stagedRowsRetentionHours);
    await repairSearchIndexes(deps.pool, deps.db, deps.log, handBack.signal);
  };
  // Not awaited: a rebuild takes seconds and must not hold up start-up (filters work meanwhile).
  void track(sweep()).catch(() => {});
  const sweeper = setInterval(() => void track(sweep()).catch(() => {}), SWEEP_EVERY_MS);

  return {
    nudge: () => boss.notifyWorker(workerId),
    async stop(deadline) {
      clearInterval(sweeper);
      finishing.abort();
      await boss.offWork(IMPORT_QUEUE);
      const timer = setTimeout(() => handBack.abort(), Math.max(0, deadline - HAND_BACK_MARGIN_MS - Date.now()));
      await Promise.all(running);
      clearTimeout(timer);
      // What this worker left waiting (handed back, or queued behind it) goes to another worker now.
      if (await importsLackAWorker(deps.db).catch(() => false)) await deps.scheduler.requestApply().catch(() => {});
    },
  };
}
