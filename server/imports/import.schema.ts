import { z } from "zod";
import { idSchema } from "../ids.js";
import { pageInput } from "../paging.js";
import type { ImportRow } from "./imports.table.js";
import { RETRYABLE_STATUSES } from "./import-status.js";

export const importIdInput = z.object({ id: idSchema });
export const importErrorsInput = importIdInput.extend(pageInput.shape);

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
  };
}

export type ImportJson = ReturnType<typeof toImportJson>;
