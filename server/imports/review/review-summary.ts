import type { ReviewSummary } from "../../../db/schema.js";
import type { ImportRow } from "../imports.table.js";
import { productRows } from "../product-rows.js";
import { describeSyncRemoval, isLargeSync } from "../large-sync.js";
import type { DiffCounts } from "./review-diff.js";
import { countWords } from "../../count-words.js";

/** The counts as the import's mode reads them: every row of the file lands in exactly one. */
export function summarize(row: ImportRow, diff: DiffCounts, catalog: { size: number; version: string }): ReviewSummary {
  const existing = diff.changing + diff.same;
  const counts = {
    upsert: { created: diff.fresh, updated: diff.changing, unchanged: diff.same, skipped: 0 },
    sync: { created: diff.fresh, updated: diff.changing, unchanged: diff.same, skipped: 0 },
    "create-only": { created: diff.fresh, updated: 0, unchanged: 0, skipped: existing },
    "update-only": { created: 0, updated: diff.changing, unchanged: diff.same, skipped: diff.fresh },
  }[row.mode];
  counts.skipped += row.skipped_rows;
  const writesUpdates = row.mode !== "create-only";
  return {
    ...counts,
    rejected: row.error_count,
    removed: diff.removing,
    repeated: productRows(row) - diff.distinct,
    changed: writesUpdates ? diff.changed : Object.fromEntries(Object.keys(diff.changed).map((field) => [field, 0])),
    descriptionsEmptied: writesUpdates ? diff.descriptionsEmptied : 0,
    pricesHalved: writesUpdates ? diff.pricesHalved : 0,
    outOfStock: writesUpdates ? diff.outOfStock : 0,
    barcodesEmptied: writesUpdates ? diff.barcodesEmptied : 0,
    imagesEmptied: writesUpdates ? diff.imagesEmptied : 0,
    deactivated: writesUpdates ? diff.deactivated : 0,
    activated: writesUpdates ? diff.activated : 0,
    createdInactive: row.mode === "update-only" ? 0 : diff.freshInactive,
    catalogSize: catalog.size,
    catalogVersion: catalog.version,
    computedAt: new Date().toISOString(),
  };
}

/** A sync that needs `confirmLargeSync` before it may apply. */
export const needsSyncConfirmation = (row: ImportRow, summary: ReviewSummary) =>
  row.mode === "sync" && !row.confirm_large_sync && isLargeSync(summary.removed, summary.catalogSize);

/** What a careful person would want pointed out before applying. */
export function reviewWarnings(row: ImportRow, summary: ReviewSummary): string[] {
  const warnings: string[] = [];
  if (row.mode === "sync" && isLargeSync(summary.removed, summary.catalogSize)) {
    warnings.push(`${describeSyncRemoval(summary.removed, summary.catalogSize, row.sync_action)}: applying it needs a confirmation.`);
  } else if (summary.removed > 0) {
    const verb = row.sync_action === "delete" ? "deleted" : "deactivated";
    warnings.push(`${countWords(summary.removed, "product the file does not name would be", "products the file does not name would be")} ${verb}.`);
  }
  if (summary.descriptionsEmptied > 0) {
    warnings.push(
      `${countWords(summary.descriptionsEmptied, "description would become empty", "descriptions would become empty")} (the file's cells are empty; choose "keep the stored one" to leave them).`,
    );
  }
  if (summary.pricesHalved) {
    warnings.push(`${countWords(summary.pricesHalved, "price falls", "prices fall")} by more than half.`);
  }
  if (summary.outOfStock) {
    warnings.push(`${countWords(summary.outOfStock, "product goes", "products go")} out of stock.`);
  }
  if (summary.barcodesEmptied) {
    warnings.push(`${countWords(summary.barcodesEmptied, "barcode would become", "barcodes would become")} empty.`);
  }
  if (summary.imagesEmptied) {
    warnings.push(`${countWords(summary.imagesEmptied, "product loses its images", "products lose their images")}.`);
  }
  if (row.warning_count) {
    warnings.push(`${countWords(row.warning_count, "value was", "values were")} read but left out (see the warnings).`);
  }
  if (!row.has_active_column) warnings.push("The file has no active column: flags stay as they are (new products are active).");
  else if (row.unspecified_active_rows > 0) {
    warnings.push(`${countWords(row.unspecified_active_rows, "row leaves", "rows leave")} active empty: those products keep their flag.`);
  }
  if (summary.deactivated > 0)
    warnings.push(`${countWords(summary.deactivated, "active product would be", "active products would be")} made inactive.`);
  if (summary.createdInactive > 0)
    warnings.push(`${countWords(summary.createdInactive, "new product would be", "new products would be")} created inactive.`);
  if (summary.rejected > 0) {
    const kept = row.mode === "sync" ? "; the products they name are kept" : "";
    warnings.push(
      `${countWords(summary.rejected, "row was rejected and is", "rows were rejected and are")} left out (see the rejected rows)${kept}.`,
    );
  }
  if (summary.repeated > 0) {
    warnings.push(
      `${countWords(summary.repeated, "row repeats a SKU", "rows repeat a SKU")} that comes again later in the file; the last row of each SKU is used.`,
    );
  }
  const skippedByMode = summary.skipped - row.skipped_rows;
  if (skippedByMode > 0) {
    warnings.push(
      row.mode === "create-only"
        ? `${countWords(skippedByMode, "SKU is", "SKUs are")} already in the catalog and left as they are (create only).`
        : `${countWords(skippedByMode, "SKU is", "SKUs are")} not in the catalog and left out (update only).`,
    );
  }
  return warnings;
}
