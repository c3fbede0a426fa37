import { sql, type Kysely, type Selectable, type UpdateObject } from "kysely";
import type { Database, ImportGuard, ImportsTable, ReviewSummary, RowNotes } from "../../db/schema.js";
import { RETRYABLE_STATUSES, TRANSITIONS, UNSETTLED_STATUSES, WAITING_TO_APPLY, type ImportStatus, type Transition } from "./import-status.js";
import type { ApplyChoice } from "./import.schema.js";
import type { DecimalSeparatorChoice } from "../products/commerce-fields.schema.js";
import { importsEntered, recordPhase, rowsMerged, rowsStaged } from "../metrics/app-metrics.js";

export type ImportRow = Selectable<ImportsTable>;
export const PROGRESS_CHANNEL = "import_progress";

/**
 * Every change to an import goes through here: it bumps `version` (the SSE event id) and
 * NOTIFYs listeners in the same statement, so progress can never be stored without being told.
 * It changes the import only while its status is one of `whileIn`.
 */
async function changeImport(
  db: Kysely<Database>,
  id: string,
  changes: UpdateObject<Database, "imports">,
  whileIn: readonly ImportStatus[],
  options: { retryableOnly?: boolean } = {},
): Promise<ImportRow | undefined> {
  const result = await db
    .with("changed", (qb) =>
      qb
        .updateTable("imports")
        .set(changes)
        .set({ version: sql`version + 1` })
        .where("id", "=", id)
        .where("status", "in", whileIn)
        .$if(Boolean(options.retryableOnly), (qb) => qb.where("retryable", "=", true))
        .returningAll(),
    )
    .selectFrom("changed")
    .selectAll()
    .select(sql<string>`pg_notify(${PROGRESS_CHANNEL}, id::text)`.as("notified"))
    .executeTakeFirst();
  if (!result) return undefined;
  const { notified: _notified, ...row } = result;
  return row as ImportRow;
}

/** One of the moves import-status.ts lists; undefined when the import is not where the move starts. */
async function moveImport(
  db: Kysely<Database>,
  id: string,
  transition: Transition,
  changes: UpdateObject<Database, "imports"> = {},
  options: { retryableOnly?: boolean } = {},
) {
  const { from, to } = TRANSITIONS[transition];
  const moved = await changeImport(db, id, { ...changes, status: to }, from, options);
  if (moved) countMove(transition, moved);
  return moved;
}

/**
 * This process's metrics of the move, from the row as it now is. A move made inside a transaction
 * that later rolls back (a merge handed back) is still counted: the attempt did happen.
 */
function countMove(transition: Transition, row: ImportRow): void {
  importsEntered.inc({ status: row.status });
  const staged = row.total_rows - row.error_count;
  if (transition === "queue" || transition === "hold") {
    rowsStaged.inc(staged);
    recordPhase("staging", row.created_at, row.uploaded_at);
  } else if (transition === "start" && row.apply_attempts === 1) {
    recordPhase("waiting", row.reviewed_at ?? row.uploaded_at, row.started_at);
  } else if (transition === "complete") {
    rowsMerged.inc(staged);
    recordPhase("merge", row.started_at, row.finished_at);
  }
}

/** How the file was read, as the import records it (CONTRACT.md's `format`, `encoding`, `delimiter`, `mapping`). */
export interface ReadAs {
  format: string;
  encoding: string | null;
  delimiter: string | null;
  quote: string | null;
  lineEnding: string | null;
  sheet: string | null;
  mapping: Record<string, string>;
  profile: string | null;
  mappingSource: string;
  decimalSeparator: DecimalSeparatorChoice;
  imageBaseUrl: string | null;
  commerceFields: readonly string[];
  /** The keys of the custom fields the file maps. */
  attributeFields: readonly string[];
}

export function createImport(
  db: Kysely<Database>,
  input: {
    filename: string;
    header: string[];
    hasActiveColumn: boolean;
    readAs: ReadAs;
    applying: ApplyChoice;
    feedId?: string | null;
    guard?: Partial<ImportGuard> | null;
    fixesImportId?: string | null;
  },
) {
  const { readAs, applying } = input;
  return db
    .insertInto("imports")
    .values({
      filename: input.filename,
      status: "uploading",
      heartbeat_at: sql`clock_timestamp()`,
      header: input.header.map((name) => name.replaceAll("\0", "")),
      has_active_column: input.hasActiveColumn,
      format: readAs.format,
      encoding: readAs.encoding,
      delimiter: readAs.delimiter,
      quote: readAs.quote,
      line_ending: readAs.lineEnding,
      sheet: readAs.sheet,
      mapping: JSON.stringify(readAs.mapping),
      profile: readAs.profile,
      mapping_source: readAs.mappingSource,
      decimal_separator: readAs.decimalSeparator,
      image_base_url: readAs.imageBaseUrl,
      commerce_fields: [...readAs.commerceFields],
      attribute_fields: [...readAs.attributeFields],
      review_requested: applying.review,
      mode: applying.mode,
      sync_action: applying.syncAction,
      empty_description: applying.emptyDescription,
      empty_cells: applying.emptyCells,
      confirm_large_sync: applying.confirmLargeSync,
      feed_id: input.feedId ?? null,
      guard: input.guard ? JSON.stringify(input.guard) : null,
      fixes_import_id: input.fixesImportId ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findImport(db: Kysely<Database>, id: string) {
  return db.selectFrom("imports").selectAll().where("id", "=", id).executeTakeFirst();
}

/** The file each import read, for the imports named (products say which import last wrote them). */
export async function importFilenames(db: Kysely<Database>, ids: readonly string[]): Promise<{ id: string; filename: string }[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom("imports")
    .select(["id", "filename"])
    .where("id", "in", [...ids])
    .execute();
}

export interface UploadTotals {
  totalRows: number;
  errorCount: number;
  sizeBytes: number;
  /** Accepted rows whose active cell was empty (kept flag). */
  unspecifiedActive?: number;
}

/** Once the file is read: its platform rows that are not products, and what reading it is worth saying. */
export interface StagedTotals extends UploadTotals {
  skippedRows: number;
  /** Rows whose values went into other rows (a Shopify image-only row). */
  foldedRows: number;
  warningCount: number;
  notes: RowNotes | null;
  /** The decimal point its numbers were read with, when one was chosen or shown. */
  decimalSeparatorRead: "." | "," | null;
}

export function reportUploadProgress(db: Kysely<Database>, id: string, totals: UploadTotals) {
  return changeImport(
    db,
    id,
    {
      total_rows: totals.totalRows,
      error_count: totals.errorCount,
      size_bytes: totals.sizeBytes,
      heartbeat_at: sql`clock_timestamp()`,
    },
    ["uploading"],
  );
}

/**
 * Runs inside the staging transaction, so a queued (or held) import always has its staged rows.
 * One the uploader wants to review first waits in `review` and gets its place in the queue only
 * when it is applied.
 */
export function markStaged(db: Kysely<Database>, id: string, totals: StagedTotals, options: { hold: boolean }) {
  return moveImport(db, id, options.hold ? "hold" : "queue", {
    total_rows: totals.totalRows,
    error_count: totals.errorCount,
    skipped_rows: totals.skippedRows,
    folded_count: totals.foldedRows,
    warning_count: totals.warningCount,
    row_notes: totals.notes ? JSON.stringify(totals.notes) : null,
    size_bytes: totals.sizeBytes,
    unspecified_active_rows: totals.unspecifiedActive ?? 0,
    decimal_separator_read: totals.decimalSeparatorRead,
    queue_position: options.hold ? null : sql`nextval('import_queue_position')`,
    uploaded_at: sql`clock_timestamp()`,
  });
}

/** Reviewed and applied: it joins the queue behind whatever waits already. */
export function markApplied(db: Kysely<Database>, id: string, options: { confirmLargeSync: boolean }) {
  return moveImport(db, id, "apply", {
    queue_position: sql`nextval('import_queue_position')`,
    reviewed_at: sql`clock_timestamp()`,
    // A person applied it: their consent replaces the guard it was held by.
    guard: null,
    ...(options.confirmLargeSync ? { confirm_large_sync: true } : {}),
  });
}

/** Reviewed and not wanted, or its review left open too long: it ends without changing anything. */
export function markDiscarded(db: Kysely<Database>, id: string, reason: string) {
  return moveImport(db, id, "discard", {
    error: reason,
    retryable: false,
    reviewed_at: sql`clock_timestamp()`,
    finished_at: sql`clock_timestamp()`,
  });
}

/**
 * The review's latest counts (imports.review), and the catalog version of the first ones. Not a
 * change of the import's state: no version bump, so open pages do not reload for it.
 */
export async function saveReviewSummary(db: Kysely<Database>, id: string, summary: ReviewSummary, catalogVersion: string): Promise<void> {
  await db
    .updateTable("imports")
    .set({ review_summary: JSON.stringify(summary), review_catalog_version: sql`coalesce(review_catalog_version, ${catalogVersion}::bigint)` })
    .where("id", "=", id)
    .execute();
}

/** The import row, locked for the caller's transaction: a review, an apply, a discard and an undo of one import go one at a time. */
export function lockImport(db: Kysely<Database>, id: string) {
  return db.selectFrom("imports").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
}

export function markFailed(db: Kysely<Database>, id: string, failure: { transition: "failUpload" | "failApply"; error: string; retryable: boolean }) {
  return moveImport(db, id, failure.transition, {
    error: failure.error,
    retryable: failure.retryable,
    finished_at: sql`clock_timestamp()`,
    heartbeat_at: null,
  });
}

export function markProcessing(db: Kysely<Database>, id: string) {
  return moveImport(db, id, "start", {
    processed_rows: 0,
    apply_attempts: sql`apply_attempts + 1`,
    started_at: sql`clock_timestamp()`,
    finished_at: null,
    heartbeat_at: sql`clock_timestamp()`,
  });
}

/** Its merge went past its guard (and was rolled back): it waits in review for a person, with the reason. */
export function markHeldPastGuard(db: Kysely<Database>, id: string, reason: string) {
  return moveImport(db, id, "holdPastGuard", {
    held_reason: reason,
    review_requested: true,
    processed_rows: 0,
    started_at: null,
    heartbeat_at: null,
    queue_position: null,
  });
}

/** A merge stopped by a shutdown: the import waits again in its old place for any worker. */
export function markHandedBack(db: Kysely<Database>, id: string) {
  return moveImport(db, id, "handBack", { processed_rows: 0, started_at: null, heartbeat_at: null });
}

/** Returns undefined once the import is no longer processing (cancelled): the merge must stop. */
export function reportMergeProgress(db: Kysely<Database>, id: string, processedRows: number) {
  return changeImport(db, id, { processed_rows: processedRows, heartbeat_at: sql`clock_timestamp()` }, ["processing"]);
}

/** Returns false once the import is no longer processing (cancelled). */
export async function touchHeartbeat(db: Kysely<Database>, id: string): Promise<boolean> {
  const row = await db
    .updateTable("imports")
    .set({ heartbeat_at: sql`clock_timestamp()` })
    .where("id", "=", id)
    .where("status", "=", "processing")
    .returning("id")
    .executeTakeFirst();
  return Boolean(row);
}

/** What a merge did, every row of the file accounted for (CONTRACT.md's counts). */
export interface ImportCounts {
  createdCount: number;
  /** Existing products the file named and its mode applied to, changed or not. */
  updatedCount: number;
  /** Of those, the ones whose values were already the file's. */
  unchangedCount: number;
  skippedCount: number;
  removedCount: number;
  repeatedCount: number;
}

export function markCompleted(db: Kysely<Database>, id: string, counts: ImportCounts, outcome: { catalogChangedAfterReview: boolean }) {
  return moveImport(db, id, "complete", {
    processed_rows: sql`total_rows`,
    created_count: counts.createdCount,
    updated_count: counts.updatedCount,
    unchanged_count: counts.unchangedCount,
    skipped_count: counts.skippedCount,
    removed_count: counts.removedCount,
    repeated_count: counts.repeatedCount,
    catalog_changed_after_review: outcome.catalogChangedAfterReview,
    revertible: true,
    error: null,
    finished_at: sql`clock_timestamp()`,
    heartbeat_at: null,
  });
}

/** Undone: what it restored, removed and left alone is kept on the import. */
export function markReverted(db: Kysely<Database>, id: string, summary: unknown) {
  return moveImport(db, id, "revert", { revert_summary: JSON.stringify(summary), reverted_at: sql`clock_timestamp()`, revertible: false });
}

/** Its before-images are gone (kept no longer, or lost): it can no longer be undone. */
export function markNotRevertible(db: Kysely<Database>, id: string) {
  return changeImport(db, id, { revertible: false }, ["completed"]);
}

/** Completed imports whose before-images are kept and older than this. */
export async function revertibleImportsOlderThan(db: Kysely<Database>, hours: number): Promise<string[]> {
  const rows = await db
    .selectFrom("imports")
    .select("id")
    .where("status", "=", "completed")
    .where("revertible", "=", true)
    .where(sql<boolean>`finished_at < clock_timestamp() - make_interval(hours => ${hours})`)
    .execute();
  return rows.map((row) => row.id);
}

/** Reviews left open this long: they expire with the staged-rows retention. */
export async function reviewsOlderThan(db: Kysely<Database>, hours: number): Promise<string[]> {
  const rows = await db
    .selectFrom("imports")
    .select("id")
    .where("status", "=", "review")
    .where(sql<boolean>`uploaded_at < clock_timestamp() - make_interval(hours => ${hours})`)
    .execute();
  return rows.map((row) => row.id);
}

export function markCancelled(db: Kysely<Database>, id: string) {
  return moveImport(db, id, "cancel", { finished_at: sql`clock_timestamp()`, heartbeat_at: null });
}

export function requeue(db: Kysely<Database>, id: string) {
  return moveImport(
    db,
    id,
    "retry",
    {
      error: null,
      processed_rows: 0,
      created_count: 0,
      updated_count: 0,
      unchanged_count: 0,
      skipped_count: 0,
      removed_count: 0,
      repeated_count: 0,
      queue_position: sql`nextval('import_queue_position')`,
      apply_attempts: 0,
      started_at: null,
      finished_at: null,
    },
    // Staging retention may have just dropped its rows.
    { retryableOnly: true },
  );
}

/** The next import to apply, in upload-finished order; call only while holding the apply lock. */
export function nextImportToApply(db: Kysely<Database>) {
  return db.selectFrom("imports").selectAll().where("status", "in", WAITING_TO_APPLY).orderBy("queue_position").limit(1).executeTakeFirst();
}

export async function hasImportsWaiting(db: Kysely<Database>): Promise<boolean> {
  const row = await db.selectFrom("imports").select("id").where("status", "in", WAITING_TO_APPLY).limit(1).executeTakeFirst();
  return Boolean(row);
}

/** Failed or cancelled imports that could still be retried from staged rows kept this long. */
export async function retryableImportsOlderThan(db: Kysely<Database>, hours: number): Promise<string[]> {
  const rows = await db
    .selectFrom("imports")
    .select("id")
    .where("status", "in", RETRYABLE_STATUSES)
    .where("retryable", "=", true)
    .where(sql<boolean>`finished_at < clock_timestamp() - make_interval(hours => ${hours})`)
    .execute();
  return rows.map((row) => row.id);
}

/** Its staged rows are gone: a retry needs the file again, and the import says so. */
export function markStagedRowsExpired(db: Kysely<Database>, id: string, note: string) {
  return changeImport(db, id, { retryable: false, error: sql`concat_ws(' ', error, ${note}::text)` }, RETRYABLE_STATUSES);
}

/** Uploads whose process stopped reporting: it died, and its staging transaction with it. */
export async function stalledUploadIds(db: Kysely<Database>, silentForSeconds: number): Promise<string[]> {
  const rows = await db
    .selectFrom("imports")
    .select("id")
    .where("status", "=", "uploading")
    .where(sql<boolean>`coalesce(heartbeat_at, created_at) < clock_timestamp() - make_interval(secs => ${silentForSeconds})`)
    .execute();
  return rows.map((row) => row.id);
}

export async function waitingImportIds(db: Kysely<Database>): Promise<string[]> {
  const rows = await db.selectFrom("imports").select("id").where("status", "in", WAITING_TO_APPLY).orderBy("queue_position").execute();
  return rows.map((row) => row.id);
}

/** Data rows in the files of every import still waiting to be applied. */
export async function waitingRowCount(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom("imports")
    .select((eb) => eb.fn.coalesce(eb.fn.sum<string>("total_rows"), sql<string>`0`).as("rows"))
    .where("status", "in", WAITING_TO_APPLY)
    .executeTakeFirstOrThrow();
  return Number(row.rows);
}

export async function listImports(db: Kysely<Database>, page: number, pageSize: number) {
  const [items, total] = await Promise.all([
    db
      .selectFrom("imports")
      .selectAll()
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    db
      .selectFrom("imports")
      .select((eb) => eb.fn.countAll<string>().as("count"))
      .executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.count) };
}

/** How many imports are in each unsettled status now, every one of them listed (0 when none). */
export async function countUnsettledImports(db: Kysely<Database>): Promise<Map<ImportStatus, number>> {
  const rows = await db
    .selectFrom("imports")
    .select(["status", (eb) => eb.fn.countAll<string>().as("count")])
    .where("status", "in", UNSETTLED_STATUSES)
    .groupBy("status")
    .execute();
  const counts = new Map<ImportStatus, number>(UNSETTLED_STATUSES.map((status) => [status, 0]));
  for (const row of rows) counts.set(row.status, Number(row.count));
  return counts;
}
