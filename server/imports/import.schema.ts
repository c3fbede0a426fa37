import { z } from "zod";
import { idSchema } from "../ids.js";
import { pageInput } from "../paging.js";
import { SAMPLE_BYTES } from "../files/dialect-names.js";
import { storableText } from "../text-input.js";
import type { ImportRow } from "./imports.table.js";
import { RETRYABLE_STATUSES } from "./import-status.js";
import { describeRowNotes, type RowNotes } from "./row-notes.js";
import { CHANGE_KINDS } from "./review/change-kinds.js";

export const importIdInput = z.object({ id: idSchema });
export const importErrorsInput = importIdInput.extend(pageInput.shape);
export const importChangesInput = importIdInput.extend({ kind: z.enum(CHANGE_KINDS).optional(), ...pageInput.shape });
export const importApplyInput = importIdInput.extend({
  confirmLargeSync: z.boolean().optional(),
  /** The review's `catalogVersion` the caller looked at: given, an apply against a catalog changed since is refused. */
  reviewedCatalogVersion: z
    .string()
    .regex(/^\d{1,20}$/, "must be a catalogVersion from imports.review")
    .optional(),
});
export const importRevertInput = importIdInput.extend({ partial: z.boolean().optional() });

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** imports.inspect: the first bytes of a file (base64), and the same choices an upload can make. */
export const inspectInput = z.object({
  sample: z
    .string()
    .max(Math.ceil(SAMPLE_BYTES / 3) * 4, `sample: at most ${SAMPLE_BYTES / 1024} KB of the file's beginning, base64-encoded`)
    .regex(BASE64, "sample must be base64"),
  filename: storableText().pipe(z.string().max(255)).optional(),
  /** The sample is the whole file (a workbook can only be inspected whole). */
  wholeFile: z.boolean().optional(),
  encoding: z.string().max(40).optional(),
  delimiter: z.string().max(20).optional(),
  mapping: z.union([z.string().max(10_000), z.record(z.string(), z.string().nullable())]).optional(),
  profile: z.string().max(40).optional(),
  sheet: z.string().max(255).optional(),
});

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
    // Rows the platform writes that are not products (in skippedCount once applied), and what reading the file is worth saying.
    skippedRowCount: row.skipped_rows,
    skippedReasons: (row.row_notes as RowNotes | null)?.skipped ?? [],
    notices: describeRowNotes(row.row_notes as RowNotes | null),
    reviewRequested: row.review_requested,
    reviewedAt: iso(row.reviewed_at),
    catalogChangedAfterReview: row.catalog_changed_after_review,
    revertible: row.revertible && row.status === "completed",
    revertSummary: row.revert_summary as RevertSummaryJson | null,
    revertedAt: iso(row.reverted_at),
  };
}

/** What an undo did, as the import keeps it (server/undo/revert-import.ts). */
export interface RevertSummaryJson {
  restored: number;
  removed: number;
  kept: number;
  keptExamples: string[];
}

export type ImportJson = ReturnType<typeof toImportJson>;
