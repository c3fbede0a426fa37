import { sql, type Kysely, type Selectable, type UpdateObject } from "kysely";
import type { Database, ImportsTable } from "../../db/schema.js";
import { RETRYABLE_STATUSES, TRANSITIONS, WAITING_TO_APPLY, type ImportStatus, type Transition } from "./import-status.js";

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
function moveImport(
  db: Kysely<Database>,
  id: string,
  transition: Transition,
  changes: UpdateObject<Database, "imports"> = {},
  options: { retryableOnly?: boolean } = {},
) {
  const { from, to } = TRANSITIONS[transition];
  return changeImport(db, id, { ...changes, status: to }, from, options);
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
}

export function createImport(db: Kysely<Database>, input: { filename: string; header: string[]; hasActiveColumn: boolean; readAs: ReadAs }) {
  const { readAs } = input;
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
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findImport(db: Kysely<Database>, id: string) {
  return db.selectFrom("imports").selectAll().where("id", "=", id).executeTakeFirst();
}

export interface UploadTotals {
  totalRows: number;
  errorCount: number;
  sizeBytes: number;
  /** Accepted rows whose active cell was empty (kept flag). */
  unspecifiedActive?: number;
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

/** Runs inside the staging transaction, so a queued import always has its staged rows. */
export function markQueued(db: Kysely<Database>, id: string, totals: UploadTotals) {
  return moveImport(db, id, "queue", {
    total_rows: totals.totalRows,
    error_count: totals.errorCount,
    size_bytes: totals.sizeBytes,
    unspecified_active_rows: totals.unspecifiedActive ?? 0,
    queue_position: sql`nextval('import_queue_position')`,
    uploaded_at: sql`clock_timestamp()`,
  });
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

export interface MergeCounts {
  createdCount: number;
  updatedCount: number;
}

export function markCompleted(db: Kysely<Database>, id: string, counts: MergeCounts) {
  return moveImport(db, id, "complete", {
    processed_rows: sql`total_rows`,
    created_count: counts.createdCount,
    updated_count: counts.updatedCount,
    error: null,
    finished_at: sql`clock_timestamp()`,
    heartbeat_at: null,
  });
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
