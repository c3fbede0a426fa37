import type { Kysely } from "kysely";
import type { Database, ReviewSummary } from "../../../db/schema.js";
import { ImportNotFound } from "../import-errors.js";
import { findImport, lockImport, saveReviewSummary, type ImportRow } from "../imports.table.js";
import { importPhaseSeconds } from "../../metrics/app-metrics.js";
import { mergePlanFor } from "../apply/merge-import.js";
import { stagedRowsLost } from "../staging/staging-table.js";
import { productCount } from "../../products/catalog-counts.table.js";
import { catalogVersion } from "../../products/catalog-version.js";
import { Refusal } from "../../refusal.js";
import { listFieldKeys } from "../../products/custom-fields/fields.table.js";
import { computeDiff } from "./review-diff.js";
import { needsSyncConfirmation, reviewWarnings, summarize } from "./review-summary.js";

export interface Review {
  row: ImportRow;
  summary: ReviewSummary;
  /** The catalog changed since the first review of this import (the counts are current). */
  catalogChangedSince: boolean;
}

const notReviewable = (row: ImportRow) =>
  new Refusal(
    "conflict",
    `Import ${row.id} was ${row.status === "uploading" ? "not staged yet" : "applied without a review"}; ${row.status === "uploading" ? "wait until it is staged" : "its counts are on the import"}.`,
  );

/**
 * The review's counts against the catalog as it is now: computed when the import was staged, and
 * again whenever the catalog changed since. Once the import has left `review` the last counts stay
 * as they were.
 */
export async function reviewImport(db: Kysely<Database>, id: string): Promise<Review> {
  const row = await findImport(db, id);
  if (!row) throw new ImportNotFound(id);
  if (row.status !== "review") {
    const summary = row.review_summary;
    if (!summary) throw notReviewable(row);
    const changed = row.status === "completed" ? row.catalog_changed_after_review : summary.catalogVersion !== (await catalogVersion(db));
    return { row, summary, catalogChangedSince: changed };
  }
  return db.transaction().execute(async (tx) => {
    // One computation at a time per import; an apply or discard waits for it.
    const locked = await lockImport(tx, id);
    if (!locked || locked.status !== "review") return reviewImport(db, id);
    const version = await catalogVersion(tx);
    const cached = locked.review_summary;
    if (cached?.catalogVersion === version) return { row: locked, summary: cached, catalogChangedSince: locked.review_catalog_version !== version };
    if (await stagedRowsLost(tx, locked)) {
      throw new Refusal("conflict", `Import ${id}'s staged rows are gone (the database lost them in a crash); discard it and upload the file again.`);
    }
    const timed = importPhaseSeconds.startTimer({ phase: "review" });
    const diff = await computeDiff(tx, mergePlanFor(locked, "returning-old", await listFieldKeys(tx)));
    const summary = summarize(locked, diff, { size: await productCount(tx), version });
    await saveReviewSummary(tx, id, summary, version);
    timed();
    const first = locked.review_catalog_version ?? version;
    return { row: locked, summary, catalogChangedSince: first !== version };
  });
}

/** The public shape of imports.review (CONTRACT.md), with what the page shows besides. */
export function toReviewJson({ row, summary, catalogChangedSince }: Review) {
  return {
    id: row.id,
    status: row.status,
    mode: row.mode,
    syncAction: row.sync_action,
    emptyDescription: row.empty_description,
    totalRows: row.total_rows,
    created: summary.created,
    updated: summary.updated,
    unchanged: summary.unchanged,
    rejected: summary.rejected,
    skipped: summary.skipped,
    /** Of `skipped`, the file's rows that are not products (a Shopify image row, a Magento store view). */
    skippedRowCount: row.skipped_rows,
    /** Rows whose values went into other rows (a Shopify image-only row): every row lands in one count. */
    folded: row.folded_count,
    warningCount: row.warning_count,
    removed: summary.removed,
    repeated: summary.repeated,
    changed: summary.changed,
    descriptionsEmptied: summary.descriptionsEmptied,
    imagesEmptied: summary.imagesEmptied ?? 0,
    deactivated: summary.deactivated,
    activated: summary.activated,
    createdInactive: summary.createdInactive,
    catalogSize: summary.catalogSize,
    warnings: reviewWarnings(row, summary),
    needsSyncConfirmation: row.status === "review" && needsSyncConfirmation(row, summary),
    catalogChangedSince,
    /** The catalog version these counts were computed against: imports.apply's `reviewedCatalogVersion`. */
    catalogVersion: summary.catalogVersion,
    computedAt: summary.computedAt,
  };
}
export type ReviewJson = ReturnType<typeof toReviewJson>;
