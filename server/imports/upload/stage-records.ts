import type { Kysely } from "kysely";
import type pg from "pg";
import type { Database, ImportGuard } from "../../../db/schema.js";
import { isLostConnection } from "../../../db/postgres-errors.js";
import { withTransaction, type Transaction } from "../../../db/transaction.js";
import { Refusal } from "../../refusal.js";
import { BATCH_ROWS } from "../../files/batch-sizes.js";
import type { OpenedFile } from "../../files/open-file.js";
import { assertUsableHeader } from "../../files/unusable-file.js";
import { saveMapping, touchMapping } from "../../mappings/mappings.table.js";
import { findMappingFor } from "../../mappings/saved-mapping.js";
import { fieldDefinitions } from "../../products/custom-fields/custom-fields.js";
import { resolveColumns, type MappingChoice, type ResolvedColumns } from "../../mappings/resolve-columns.js";
import type { RejectedRow } from "../rows/validate-row.js";
import { insertRejectedRows } from "../import-errors.table.js";
import { insertRowWarnings } from "../import-warnings.table.js";
import type { RowWarning } from "../rows/row-encoder.js";
import { createImport, markStaged, type ImportRow, type ReadAs, type UploadTotals } from "../imports.table.js";
import { RowNotesTally } from "../row-notes.js";
import { rowsOnThisThread, type RowSource } from "../rows/row-source.js";
import { createStagingTable, openStagingCopy, stageKeptSkus } from "../staging/staging-table.js";
import { StagingCopy } from "../staging/staging-copy.js";
import { rejectNewWithoutRequired } from "../staging/required-fields.js";
import { assignVariants } from "../staging/variant-assignments.js";
import type { VariantAssignment } from "../staging/staged-row.js";
import type { ApplyChoice } from "../import.schema.js";
import { UploadProgress } from "./upload-progress.js";
import { rowsFromWorkbookWorker, rowsFromWorker } from "../rows/worker-row-source.js";

export interface StagingDeps {
  db: Kysely<Database>;
  pool: pg.Pool;
  /** A CSV file larger than its first sample is parsed in a worker thread (PARSE_IN_WORKER). */
  parseInWorker?: boolean;
}

/** Where the file's records are parsed and validated: a worker for a workbook or a large CSV, else here. */
function rowSourceFor(deps: StagingDeps, file: OpenedFile): RowSource {
  if (deps.parseInWorker !== false) {
    if (file.workbook) return rowsFromWorkbookWorker(file.workbook.file, file.workbook.wantedSheet);
    if (file.csv && file.dialect && !file.csv.wholeFile) return rowsFromWorker(file.csv.bytes, file.dialect, file.csv.sample);
  }
  return rowsOnThisThread(file.records, async () => {}, file.sheet);
}

/** What the caller learns while the upload runs: the import it created, and how to stop it. */
export interface UploadInProgress {
  filename: string;
  /** The columns the person uploading chose, if any (else a saved mapping, a profile, the names). */
  mapping: MappingChoice;
  /** How its rows are to be applied, and whether it waits for a review first. */
  applying: ApplyChoice;
  /** The feed whose run fetched the file, if one did. */
  feedId?: string;
  /** The limits its merge must stay within to commit (a feed's guard). */
  guard?: Partial<ImportGuard>;
  /** An import of another's fixed rejected rows: that import. */
  fixesImportId?: string;
  importId: string | null;
  /** Told the import's id as soon as its row exists (before its rows are staged). */
  onCreated?(importId: string): void;
  bytesRead(): number;
  /** Ends the upload with `refusal` (the import was cancelled meanwhile). */
  stop(refusal: Refusal): void;
}

export const CANCELLED_WHILE_UPLOADING = () => new Refusal("conflict", "The import was cancelled while it uploaded.");

/** How the file was read, for the import's record and page. */
function readAs(file: OpenedFile, source: RowSource, columns: ResolvedColumns, upload: UploadInProgress): ReadAs {
  return {
    format: file.format,
    encoding: file.dialect?.encoding ?? null,
    delimiter: file.dialect?.delimiter ?? null,
    quote: file.dialect?.quote ?? null,
    lineEnding: file.dialect?.lineEnding ?? null,
    sheet: source.sheet()?.name ?? null,
    mapping: columns.mapping as Record<string, string>,
    profile: columns.profile?.id ?? null,
    mappingSource: columns.source,
    decimalSeparator: upload.mapping.decimalSeparator ?? "auto",
    imageBaseUrl: upload.mapping.imageBaseUrl ?? null,
    commerceFields: columns.writes,
    attributeFields: columns.attributes.map(({ field }) => field.key),
  };
}

/**
 * The file's records into a staging table while its bytes arrive: the header picks the columns
 * (the upload's mapping, else a saved one, a profile or the names), every row is mapped and
 * validated, accepted rows go to COPY and rejected ones to import_errors. The staging table, the
 * switch to `queued` (or `review`) and a confirmed mapping commit together, so an upload that fails half-way
 * leaves nothing behind but the import row, which the caller marks failed.
 */
export async function stageRecords(deps: StagingDeps, file: OpenedFile, upload: UploadInProgress): Promise<ImportRow> {
  try {
    return await stageFile(deps, file, upload);
  } finally {
    await file.close();
  }
}

async function stageFile(deps: StagingDeps, file: OpenedFile, upload: UploadInProgress): Promise<ImportRow> {
  const source = rowSourceFor(deps, file);
  try {
    return await stageRows(deps, file, source, upload);
  } finally {
    await source.close();
  }
}

async function stageRows(deps: StagingDeps, file: OpenedFile, source: RowSource, upload: UploadInProgress): Promise<ImportRow> {
  const header = await source.header();
  assertUsableHeader(header);
  const saved = upload.mapping.mapping ? undefined : await findMappingFor(deps.db, header);
  const fields = await fieldDefinitions(deps.db);
  const columns = resolveColumns(header, upload.mapping, saved, fields);
  const created = await createImport(deps.db, {
    filename: upload.filename,
    header,
    hasActiveColumn: columns.index.active !== null,
    readAs: readAs(file, source, columns, upload),
    applying: upload.applying,
    feedId: upload.feedId,
    guard: upload.guard,
    fixesImportId: upload.fixesImportId,
  });
  const importId = created.id;
  upload.importId = importId;
  upload.onCreated?.(importId);
  const totals: UploadTotals = { totalRows: 0, errorCount: 0, sizeBytes: 0, unspecifiedActive: 0 };
  const notes = new RowNotesTally();
  const progress = new UploadProgress(deps.db, importId, totals, upload.bytesRead, () => upload.stop(CANCELLED_WHILE_UPLOADING()));
  let rejected: RejectedRow[] = [];
  let warnings: RowWarning[] = [];
  let warningCount = 0;
  const rejectedSkus: string[] = [];
  const assignments: VariantAssignment[] = [];
  let decimalSeparatorRead: "." | "," | null = null;
  const flushRejected = async () => {
    const rows = rejected;
    rejected = [];
    await insertRejectedRows(deps.db, importId, rows);
  };
  const flushWarnings = async () => {
    const rows = warnings;
    warnings = [];
    await insertRowWarnings(deps.db, importId, rows);
  };
  const inputs = {
    header,
    choice: upload.mapping,
    saved,
    fields,
    emptyCells: upload.applying.emptyCells,
    keepRejectedSkus: upload.applying.mode === "sync",
  };
  try {
    return await withTransaction(deps.pool, async (tx) => {
      await createStagingTable(tx.db, importId);
      const staging = new StagingCopy(openStagingCopy(tx.client, importId, columns.writes, columns.attributes.length > 0));
      await staging.copyAll(source.rows(inputs), async (rows) => {
        totals.totalRows += rows.rows;
        totals.errorCount += rows.rejected.length;
        totals.unspecifiedActive! += rows.unspecifiedActive;
        notes.add(rows.notes);
        rejectedSkus.push(...rows.rejectedSkus);
        for (const assignment of rows.assignments) assignments.push(assignment);
        decimalSeparatorRead = rows.decimalSeparator ?? decimalSeparatorRead;
        if (rows.rejected.length) {
          rejected.push(...rows.rejected);
          if (rejected.length >= BATCH_ROWS) await flushRejected();
        }
        if (rows.warnings.length) {
          warningCount += rows.warnings.length;
          warnings.push(...rows.warnings);
          if (warnings.length >= BATCH_ROWS) await flushWarnings();
        }
      });
      await flushRejected();
      await flushWarnings();
      if (assignments.length) await assignVariants(tx.db, importId, assignments);
      if (upload.applying.mode !== "update-only") totals.errorCount += await rejectNewWithoutRequired(tx.db, importId, columns, fields);
      await progress.stop();
      totals.sizeBytes = upload.bytesRead();
      await stageKeptSkus(tx.db, importId, rejectedSkus);
      const queued = await markStaged(
        tx.db,
        importId,
        { ...totals, skippedRows: notes.skippedRows, foldedRows: notes.foldedRows, warningCount, notes: notes.notes(), decimalSeparatorRead },
        { hold: upload.applying.review },
      );
      if (!queued) throw CANCELLED_WHILE_UPLOADING();
      // A mapping the person chose is remembered for this header; a remembered one was used again.
      if (upload.mapping.mapping) await rememberMapping(tx, () => saveMapping(tx.db, header, columns.mapping, columns.profile?.id ?? null));
      else if (saved && columns.source === "saved") await rememberMapping(tx, () => touchMapping(tx.db, saved.id));
      return queued;
    });
  } catch (error) {
    // The rows rejected so far stay as the user's receipt of what was wrong.
    await flushRejected().catch(() => {});
    await flushWarnings().catch(() => {});
    throw error;
  } finally {
    await progress.stop();
  }
}

/**
 * Remembering the mapping is a convenience for the next file: whatever goes wrong with it (a
 * constraint, a timeout) rolls back to a savepoint and the staged import goes on without it.
 */
async function rememberMapping(tx: Transaction, remember: () => Promise<unknown>): Promise<void> {
  await tx.client.query("SAVEPOINT remember_mapping");
  try {
    await remember();
    await tx.client.query("RELEASE SAVEPOINT remember_mapping");
  } catch (error) {
    if (isLostConnection(error)) throw error;
    await tx.client.query("ROLLBACK TO SAVEPOINT remember_mapping");
  }
}
