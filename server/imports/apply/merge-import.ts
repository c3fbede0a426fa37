import { listFieldKeys } from "../../products/custom-fields/fields.table.js";
import { sql } from "kysely";
import { isPgError } from "../../../db/postgres-errors.js";
import type { Database } from "../../../db/schema.js";
import { returnsOldRows } from "../../../db/server-version.js";
import type { Logger } from "../../logger.js";
import { addToProductCount, productCount } from "../../products/catalog-counts.table.js";
import { countNotInFile, mergeIntoCatalog, type MergeCounts, type MergePlan } from "../../products/catalog-merge.js";
import { catalogVersion } from "../../products/catalog-version.js";
import { isCommerceField } from "../../products/commerce-fields.schema.js";
import { completeImport, failImport, holdImport } from "../import-outcome.js";
import { guardVerdict, measureMerge } from "./import-guard.js";
import { markProcessing, type ImportCounts, type ImportRow } from "../imports.table.js";
import { productRows } from "../product-rows.js";
import { describeSyncRemoval, isLargeSync } from "../large-sync.js";
import { MergeWatch, type MergeStop } from "./merge-watch.js";
import type { CatalogLockHolder, OutsideTheLock } from "./catalog-lock-holder.js";
import {
  beforeImagesTable,
  countDistinctStagedSkus,
  createBeforeImagesTable,
  keptSkusTable,
  mergeCounter,
  readMergeCounter,
  resetMergeCounter,
  stagingTable,
} from "../staging/staging-table.js";

/** `held`: its merge went past its guard, so it was rolled back and waits in review. */
export type MergeOutcome = "completed" | "refused" | "held" | MergeStop;

export interface MergeDeps {
  /** The pool: the merge's progress, status and failure, which must show before it commits. */
  outside: OutsideTheLock;
  log: Logger;
  /** Fires when a shutdown wants the merge stopped and the import handed back. */
  handBack?: AbortSignal;
}

/**
 * The import's plan for catalog-merge.ts, from what the upload chose. `fieldKeys` are the custom
 * fields that exist now: the values of one deleted since the upload are not written.
 */
export function mergePlanFor(row: ImportRow, capture: MergePlan["capture"], fieldKeys: readonly string[] = row.attribute_fields): MergePlan {
  return {
    importId: row.id,
    staged: stagingTable(row.id),
    progress: mergeCounter(row.id),
    kept: keptSkusTable(row.id),
    before: beforeImagesTable(row.id),
    capture,
    fileHasActive: row.has_active_column,
    activeGaps: row.unspecified_active_rows > 0,
    mode: row.mode,
    syncAction: row.sync_action,
    emptyDescription: row.empty_description,
    commerce: row.commerce_fields.filter(isCommerceField),
    emptyCells: row.empty_cells,
    attributes: row.attribute_fields.filter((key) => fieldKeys.includes(key)),
    staleAttributes: row.attribute_fields.filter((key) => !fieldKeys.includes(key)),
  };
}

/**
 * Every row of the file accounted for: created + updated + skipped by the mode = distinct SKUs;
 * + repeated + rejected + skipped rows (a platform's rows that are not products) = rows.
 */
export function countsFor(row: ImportRow, merged: MergeCounts, distinct: number): ImportCounts {
  const repeatedCount = productRows(row) - distinct;
  const skippedRows = row.skipped_rows;
  const removedCount = merged.removed;
  switch (row.mode) {
    case "create-only":
      return {
        createdCount: merged.created,
        updatedCount: 0,
        unchangedCount: 0,
        skippedCount: distinct - merged.created + skippedRows,
        removedCount,
        repeatedCount,
      };
    case "update-only":
      return {
        createdCount: 0,
        updatedCount: merged.existing,
        unchangedCount: merged.existing - merged.changed,
        skippedCount: distinct - merged.existing + skippedRows,
        removedCount,
        repeatedCount,
      };
    case "upsert":
    case "sync": {
      const updatedCount = distinct - merged.created;
      return {
        createdCount: merged.created,
        updatedCount,
        unchangedCount: updatedCount - merged.changed,
        skippedCount: skippedRows,
        removedCount,
        repeatedCount,
      };
    }
  }
}

/** Held in review with the guard's reason (on the pool: it shows whether or not `tx` commits). */
async function hold(deps: MergeDeps, row: ImportRow, verdict: string): Promise<MergeOutcome> {
  const held = await holdImport(deps.outside, row.id, `Held for a person: ${verdict}.`);
  return held ? "held" : "cancelled";
}

/**
 * Merges one import's staged rows into the catalog inside `tx` (which holds the catalog lock): the
 * set-based statements its mode needs, keeping what they overwrite for an undo, then the counts and
 * the event. Progress is written on other connections so the browser sees it before `tx` commits.
 * A cancel or a shutdown stops the statement; the caller then rolls `tx` back.
 */
export async function mergeImport(deps: MergeDeps, tx: CatalogLockHolder, row: ImportRow): Promise<MergeOutcome> {
  if (!(await markProcessing(deps.outside, row.id))) return "cancelled";
  await resetMergeCounter(deps.outside, row.id);
  // A killed process must not leave its merge running unseen for long.
  await sql`SET LOCAL client_connection_check_interval = '1s'`.execute(tx);
  await sql`SET LOCAL work_mem = '64MB'`.execute(tx);
  const plan = mergePlanFor(row, (await returnsOldRows<Database>(tx)) ? "returning-old" : "copy-first", await listFieldKeys(tx));
  const catalogSize = await productCount(tx);
  const sizes = { catalogSize, totalRows: row.total_rows, rejected: row.error_count };
  if (row.guard) {
    // What is known before merging: the rejected rows, and a sync's removals. Past a limit, no merge is spent.
    const removed = row.mode === "sync" && catalogSize > 0 ? await countNotInFile(tx, plan) : 0;
    const early = guardVerdict(row.guard, {
      ...sizes,
      removed,
      deactivated: 0,
      changed: 0,
      emptied: 0,
      pricesHalved: 0,
      syncAction: row.sync_action,
    });
    if (early) return hold(deps, row, early);
  } else if (row.mode === "sync" && !row.confirm_large_sync && catalogSize > 0) {
    const removing = await countNotInFile(tx, plan);
    if (isLargeSync(removing, catalogSize)) {
      const error = `${describeSyncRemoval(removing, catalogSize, row.sync_action)}; nothing was changed. Upload it again with confirmLargeSync=1, or with review=1 and confirm it in the review.`;
      await failImport(deps.outside, row.id, { transition: "failApply", error, retryable: false });
      return "refused";
    }
  }
  const versionBefore = await catalogVersion(tx);
  const { rows } = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(tx);
  const distinctSkus = countDistinctStagedSkus(deps.outside, row.id);
  distinctSkus.catch(() => {});
  const watch = new MergeWatch(deps.outside, row.id, rows[0]!.pid, async () => {
    const fed = await readMergeCounter(deps.outside, row.id);
    // Rows fed are distinct SKUs; scale to the file's rows, which is what the page counts.
    const distinct = await distinctSkus.catch(() => productRows(row));
    return Math.min(row.total_rows - 1, Math.round((fed / Math.max(1, distinct)) * row.total_rows));
  }).start();
  const handBack = () => void watch.handBack().catch(() => {});
  deps.handBack?.addEventListener("abort", handBack, { once: true });
  if (deps.handBack?.aborted) handBack();
  try {
    await createBeforeImagesTable(tx, row.id);
    const merged = await mergeIntoCatalog(tx, plan, catalogSize === 0);
    const distinct = await distinctSkus;
    await watch.stop();
    if (watch.stoppedFor) return watch.stoppedFor;
    if (row.guard) {
      const verdict = guardVerdict(row.guard, await measureMerge(tx, plan, merged, sizes));
      // The caller rolls the merge back: the catalog stays as it was.
      if (verdict) return hold(deps, row, verdict);
    }
    const counts = countsFor(row, merged, distinct);
    const reviewedVersion = row.review_summary?.catalogVersion;
    const catalogChangedAfterReview = reviewedVersion !== undefined && reviewedVersion !== versionBefore;
    if (!(await completeImport(tx, row.id, counts, { catalogChangedAfterReview }))) return "cancelled";
    await addToProductCount(tx, merged.created - (row.sync_action === "delete" ? merged.removed : 0));
    deps.log.debug({ catalogWasEmpty: catalogSize === 0, ...merged, distinct }, "merged");
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
