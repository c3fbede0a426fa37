import { sql, type Kysely } from "kysely";
import { isPgError } from "../../db/postgres-errors.js";
import type { Database } from "../../db/schema.js";
import type { Logger } from "../logger.js";
import { addToProductCount, productCount } from "../products/catalog-counts.table.js";
import { insertIntoEmptyCatalog, upsertIntoCatalog } from "../products/catalog-merge.js";
import { completeImport } from "./import-outcome.js";
import { markProcessing, type ImportRow } from "./imports.table.js";
import { MergeWatch, type MergeStop } from "./merge-watch.js";
import { countDistinctStagedSkus, dropStagingTable, mergeCounter, readMergeCounter, resetMergeCounter, stagingTable } from "./staging.js";

export type MergeOutcome = "completed" | MergeStop;

export interface MergeDeps {
  db: Kysely<Database>;
  log: Logger;
  /** Fires when a shutdown wants the merge stopped and the import handed back. */
  handBack?: AbortSignal;
}

/**
 * Merges one import's staged rows into the catalog inside `tx` (which holds the catalog lock):
 * one set-based statement, the counts, the event and the staging table's removal. Progress is
 * written on other connections so the browser sees it before `tx` commits. A cancel or a
 * shutdown stops the statement; the caller then rolls `tx` back.
 */
export async function mergeImport(deps: MergeDeps, tx: Kysely<Database>, row: ImportRow): Promise<MergeOutcome> {
  if (!(await markProcessing(deps.db, row.id))) return "cancelled";
  await resetMergeCounter(deps.db, row.id);
  // A killed process must not leave its merge running unseen for long.
  await sql`SET LOCAL client_connection_check_interval = '1s'`.execute(tx);
  await sql`SET LOCAL work_mem = '64MB'`.execute(tx);
  const { rows } = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(tx);
  const distinctSkus = countDistinctStagedSkus(deps.db, row.id);
  distinctSkus.catch(() => {});
  const watch = new MergeWatch(deps.db, row.id, rows[0]!.pid, async () => {
    const fed = await readMergeCounter(deps.db, row.id);
    // Rows fed are distinct SKUs; scale to the file's rows, which is what the page counts.
    const distinct = await distinctSkus.catch(() => row.total_rows);
    return Math.min(row.total_rows - 1, Math.round((fed / Math.max(1, distinct)) * row.total_rows));
  }).start();
  const handBack = () => void watch.handBack().catch(() => {});
  deps.handBack?.addEventListener("abort", handBack, { once: true });
  if (deps.handBack?.aborted) handBack();
  try {
    const source = {
      staged: stagingTable(row.id),
      progress: mergeCounter(row.id),
      fileHasActive: row.has_active_column,
      activeGaps: row.unspecified_active_rows > 0,
    };
    const firstImport = (await productCount(tx)) === 0;
    const { created } = firstImport ? await insertIntoEmptyCatalog(tx, source) : await upsertIntoCatalog(tx, source);
    const distinct = await distinctSkus;
    await watch.stop();
    if (watch.stoppedFor) return watch.stoppedFor;
    if (!(await completeImport(tx, row.id, { createdCount: created, updatedCount: distinct - created }))) return "cancelled";
    await addToProductCount(tx, created);
    await dropStagingTable(tx, row.id);
    deps.log.debug({ firstImport, created, distinct }, "merged");
    return "completed";
  } catch (error) {
    await watch.stop();
    // The watch stopped the statement (a cancel or a hand-back): not a failure.
    if (isPgError(error, "queryCanceled") && watch.stoppedFor) return watch.stoppedFor;
    throw error;
  } finally {
    deps.handBack?.removeEventListener("abort", handBack);
  }
}
