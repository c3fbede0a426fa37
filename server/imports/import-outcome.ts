import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.js";
import type { BuildsPayload } from "../events/event-payloads.js";
import { recordEvent } from "../events/events.table.js";
import { markCompleted, markFailed, markHeldPastGuard, type ImportCounts, type ImportRow } from "./imports.table.js";

/** What `import.completed` / `import.failed` carry: one event per import, never one per row. */
export function importEventData(row: ImportRow) {
  return {
    id: row.id,
    filename: row.filename,
    status: row.status,
    totalRows: row.total_rows,
    createdCount: row.created_count,
    updatedCount: row.updated_count,
    unchangedCount: row.unchanged_count,
    skippedCount: row.skipped_count,
    removedCount: row.removed_count,
    repeatedCount: row.repeated_count,
    foldedCount: row.folded_count,
    errorCount: row.error_count,
    warningCount: row.warning_count,
    mode: row.mode,
    error: row.error,
    startedAt: row.started_at?.toISOString() ?? null,
    finishedAt: row.finished_at?.toISOString() ?? null,
    durationMs: row.finished_at ? row.finished_at.getTime() - row.created_at.getTime() : null,
  };
}

// The function and the event's schema describe the same shape (checked by the compiler).
const builtAsSchema: BuildsPayload<"import.completed", ReturnType<typeof importEventData>> = true;
void builtAsSchema;

/** Call inside the merge transaction: the outcome, its event and the catalog change commit together. */
export async function completeImport(tx: Kysely<Database>, id: string, counts: ImportCounts, outcome: Parameters<typeof markCompleted>[3]) {
  const row = await markCompleted(tx, id, counts, outcome);
  if (row) await recordEvent(tx, "import.completed", importEventData(row));
  return row;
}

export function failImport(db: Kysely<Database>, id: string, failure: Parameters<typeof markFailed>[2]) {
  return db.transaction().execute(async (tx) => {
    const row = await markFailed(tx, id, failure);
    if (row) await recordEvent(tx, "import.failed", importEventData(row));
    return row;
  });
}

/** Its merge went past its guard (rolled back): held in review, with `import.held` in the same transaction. */
export function holdImport(db: Kysely<Database>, id: string, reason: string) {
  return db.transaction().execute(async (tx) => {
    const row = await markHeldPastGuard(tx, id, reason);
    if (row) await recordEvent(tx, "import.held", { ...importEventData(row), feedId: row.feed_id, reason });
    return row;
  });
}
