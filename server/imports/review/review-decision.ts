import type { Kysely } from "kysely";
import type { Database } from "../../../db/schema.js";
import { ImportNotFound } from "../import-errors.js";
import type { ImportScheduler } from "../import-queue.js";
import { lockImport, markApplied, markDiscarded, type ImportRow } from "../imports.table.js";
import { describeSyncRemoval, isLargeSync } from "../large-sync.js";
import { mergePlanFor } from "../apply/merge-import.js";
import { dropStagingTable } from "../staging/staging-table.js";
import { productCount } from "../../products/catalog-counts.table.js";
import { countNotInFile } from "../../products/catalog-merge.js";
import { catalogVersion } from "../../products/catalog-version.js";
import { Refusal } from "../../refusal.js";

export interface DecisionDeps {
  db: Kysely<Database>;
  imports: ImportScheduler;
}

function notInReview(row: ImportRow, verb: string): Refusal {
  const already = row.status === "queued" || row.status === "processing" || row.status === "completed" ? " (it was applied already)" : "";
  return new Refusal("conflict", `Import ${row.id} is ${row.status}${already}; only an import in review can be ${verb}.`);
}

/** The import's row, locked for `tx`, if it is in review. */
async function lockedReview(tx: Kysely<Database>, id: string, verb: string): Promise<ImportRow> {
  const row = await lockImport(tx, id);
  if (!row) throw new ImportNotFound(id);
  if (row.status !== "review") throw notInReview(row, verb);
  return row;
}

/**
 * Applies a reviewed import: it joins the queue like any other, and its merge computes the counts
 * afresh. A sync that would take away more than a fifth of the catalog, counted now, needs
 * `confirmLargeSync`.
 */
/**
 * Queues a held import. With `reviewedCatalogVersion` (the version the counts the person looked at
 * were computed against), only if the catalog is still that one: otherwise CONFLICT, nothing queued,
 * so the page can ask before applying counts that are out of date.
 */
export async function applyReviewed(
  deps: DecisionDeps,
  id: string,
  options: { confirmLargeSync: boolean; reviewedCatalogVersion?: string },
): Promise<ImportRow> {
  const applied = await deps.db.transaction().execute(async (tx) => {
    const row = await lockedReview(tx, id, "applied");
    if (options.reviewedCatalogVersion !== undefined) {
      const now = await catalogVersion(tx);
      if (now !== options.reviewedCatalogVersion) {
        throw new Refusal(
          "conflict",
          `The catalog changed since the review of import ${id} you looked at (catalog version ${options.reviewedCatalogVersion}, now ${now}), so it was not queued. Look at its review again (imports.review) and apply with the new catalogVersion, or apply without reviewedCatalogVersion.`,
          { field: "reviewedCatalogVersion" },
        );
      }
    }
    if (row.mode === "sync" && !options.confirmLargeSync && !row.confirm_large_sync) {
      const [removing, catalogSize] = await Promise.all([countNotInFile(tx, mergePlanFor(row, "returning-old")), productCount(tx)]);
      if (isLargeSync(removing, catalogSize)) {
        throw new Refusal(
          "invalid",
          `${describeSyncRemoval(removing, catalogSize, row.sync_action)}. Apply it with confirmLargeSync: true to go ahead.`,
          {
            field: "confirmLargeSync",
          },
        );
      }
    }
    const queued = await markApplied(tx, id, { confirmLargeSync: options.confirmLargeSync });
    if (!queued) throw notInReview(row, "applied");
    return queued;
  });
  await deps.imports.requestApply();
  return applied;
}

/** Ends a review without applying it: `cancelled`, its staged rows dropped in the same transaction. */
export async function discardReviewed(db: Kysely<Database>, id: string): Promise<ImportRow> {
  return db.transaction().execute(async (tx) => {
    const row = await lockedReview(tx, id, "discarded");
    const discarded = await markDiscarded(tx, id, "Discarded after its review; nothing was changed.");
    if (!discarded) throw notInReview(row, "discarded");
    await dropStagingTable(tx, id);
    return discarded;
  });
}
