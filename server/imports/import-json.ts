import type { ImportRow } from "./imports.table.js";
import { RETRYABLE_STATUSES } from "./import-status.js";
import { describeRowNotes } from "./row-notes.js";

const iso = (value: Date | null) => (value ? value.toISOString() : null);

/** The public `Import` shape (CONTRACT.md), plus a few fields the UI uses. */
export function toImportJson(row: ImportRow) {
  return {
    id: row.id,
    filename: row.filename,
    status: row.status,
    totalRows: row.total_rows,
    processedRows: row.processed_rows,
    createdCount: row.created_count,
    updatedCount: row.updated_count,
    errorCount: row.error_count,
    error: row.error,
    createdAt: iso(row.created_at)!,
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    uploadedAt: iso(row.uploaded_at),
    sizeBytes: Number(row.size_bytes),
    retryable: row.retryable && (RETRYABLE_STATUSES as readonly string[]).includes(row.status),
    version: row.version,
    // How the file was read (CONTRACT.md: format, encoding, delimiter, mapping).
    format: row.format,
    encoding: row.encoding,
    delimiter: row.delimiter,
    mapping: row.mapping,
    profile: row.profile,
    sheet: row.sheet,
    quote: row.quote,
    lineEnding: row.line_ending,
    mappingSource: row.mapping_source,
    // How it applies, and every row of the file accounted for (CONTRACT.md's counts).
    mode: row.mode,
    syncAction: row.sync_action,
    emptyDescription: row.empty_description,
    unchangedCount: row.unchanged_count,
    skippedCount: row.skipped_count,
    removedCount: row.removed_count,
    repeatedCount: row.repeated_count,
    foldedCount: row.folded_count,
    warningCount: row.warning_count,
    imageBaseUrl: row.image_base_url,
    /** The feed whose run fetched the file; null for an upload. */
    feedId: row.feed_id,
    /** Why its merge was held for a person (past its feed's guard), or null. */
    heldReason: row.held_reason,
    /** An import of another's fixed rejected rows: that import; and this import's rejected rows fixed and brought in. */
    fixesImportId: row.fixes_import_id,
    fixedCount: row.fixed_count,
    // Rows the platform writes that are not products (in skippedCount once applied), and what reading the file is worth saying.
    skippedRowCount: row.skipped_rows,
    skippedReasons: row.row_notes?.skipped ?? [],
    notices: describeRowNotes(row.row_notes, row.folded_count),
    reviewRequested: row.review_requested,
    reviewedAt: iso(row.reviewed_at),
    catalogChangedAfterReview: row.catalog_changed_after_review,
    revertible: row.revertible && row.status === "completed",
    revertSummary: row.revert_summary,
    revertedAt: iso(row.reverted_at),
  };
}

export type ImportJson = ReturnType<typeof toImportJson>;
