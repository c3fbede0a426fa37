import type { JobQueue } from "./job-queue.js";
import { applyWaitingImports, type ApplyDeps } from "../server/imports/apply-imports.js";
import { IMPORT_QUEUE, importsLackAWorker } from "../server/imports/import-queue.js";
import { repairSearchIndexes } from "../server/products/search-indexes.js";

const SWEEP_EVERY_MS = 10_000;

export interface ImportWorker {
  /** Wakes this process's worker at once instead of at its next poll. */
  nudge(): void;
  stop(): Promise<void>;
}

export async function startImportWorker(boss: JobQueue, deps: ApplyDeps): Promise<ImportWorker> {
  const workerId = await boss.work(IMPORT_QUEUE, { batchSize: 1, pollingIntervalSeconds: 1 }, async () => {
    await applyWaitingImports(deps);
  });

  // Picks up imports a crashed process left queued or half-merged (their merge rolled back), and
  // search indexes it left dropped or half-built.
  const sweep = async () => {
    if (await importsLackAWorker(deps.db)) await boss.send(IMPORT_QUEUE, {});
    await repairSearchIndexes(deps.pool, deps.db, deps.log);
  };
  // Not awaited: a rebuild takes seconds and must not hold up start-up (filters work meanwhile).
  void sweep().catch(() => {});
  const sweeper = setInterval(() => sweep().catch(() => {}), SWEEP_EVERY_MS);

  return {
    nudge: () => boss.notifyWorker(workerId),
    async stop() {
      clearInterval(sweeper);
      await boss.offWork(IMPORT_QUEUE);
    },
  };
}
