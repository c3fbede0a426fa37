import type { Kysely } from "kysely";
import type pg from "pg";
import { setImmediate as nextTurn } from "node:timers/promises";
import type { Database } from "../../db/schema.js";
import { withTransaction } from "../../db/transaction.js";
import { Refusal } from "../refusal.js";
import { readHeader, unusableFile } from "./csv-columns.js";
import type { SourceRecord } from "./csv-records.js";
import { validateRow, type RejectedRow } from "./csv-row.js";
import { insertRejectedRows } from "./import-errors.table.js";
import { createImport, markQueued, type ImportRow, type UploadTotals } from "./imports.table.js";
import { createStagingTable, openStagingCopy } from "./staging.js";
import { StagingCopy } from "./staging-copy.js";
import { UploadProgress } from "./upload-progress.js";

export interface StagingDeps {
  db: Kysely<Database>;
  pool: pg.Pool;
}

/** What the caller learns while the upload runs: the import it created, and how to stop it. */
export interface UploadInProgress {
  filename: string;
  importId: string | null;
  bytesRead(): number;
  /** Ends the upload with `refusal` (the import was cancelled meanwhile). */
  stop(refusal: Refusal): void;
}

export const CANCELLED_WHILE_UPLOADING = () => new Refusal("conflict", "The import was cancelled while it uploaded.");

const REJECTED_BATCH = 500;
/**
 * A fast upload never makes parsing wait for I/O, and one turn of the event loop can hand it
 * megabytes: other requests would queue behind whole seconds of parsing. Stepping aside after this
 * much parsing keeps them quick; more often stalls the upload socket for nothing.
 */
const YIELD_AFTER_MS = 25;

/** The first record: the header. */
async function readHeaderRecord(batches: AsyncIterator<SourceRecord[]>): Promise<{ header: string[]; rest: SourceRecord[] }> {
  for (;;) {
    const { done, value } = await batches.next();
    if (done) throw unusableFile("The file is empty; it needs a header naming sku and name.");
    if (value.length) return { header: value[0]!.fields, rest: value.slice(1) };
  }
}

/**
 * The file's records into a staging table while its bytes arrive: the header is checked from the
 * first record, every row is validated, accepted rows go to COPY and rejected ones to
 * import_errors. The staging table and the switch to `queued` commit together, so an upload that
 * fails half-way leaves nothing behind but the import row, which the caller marks failed.
 */
export async function stageRecords(deps: StagingDeps, source: AsyncIterable<SourceRecord[]>, upload: UploadInProgress): Promise<ImportRow> {
  const batches = source[Symbol.asyncIterator]();
  const { header, rest } = await readHeaderRecord(batches);
  const columns = readHeader(header);
  const created = await createImport(deps.db, { filename: upload.filename, header, hasActiveColumn: columns.active !== null });
  const importId = created.id;
  upload.importId = importId;
  const totals: UploadTotals = { totalRows: 0, errorCount: 0, sizeBytes: 0 };
  const progress = new UploadProgress(deps.db, importId, totals, upload.bytesRead, () => upload.stop(CANCELLED_WHILE_UPLOADING()));
  let rejected: RejectedRow[] = [];
  const flushRejected = async () => {
    const rows = rejected;
    rejected = [];
    await insertRejectedRows(deps.db, importId, rows);
  };
  try {
    return await withTransaction(deps.pool, async (tx) => {
      await createStagingTable(tx.db, importId);
      const staging = new StagingCopy(openStagingCopy(tx.client, importId));
      let workingSince = performance.now();
      try {
        for (let batch = rest, next; ; batch = next.value) {
          for (const { fields, line } of batch) {
            totals.totalRows += 1;
            const outcome = validateRow(fields, columns, line);
            if ("rejected" in outcome) {
              totals.errorCount += 1;
              rejected.push(outcome.rejected);
              if (rejected.length >= REJECTED_BATCH) await flushRejected();
            } else {
              const drained = staging.add(outcome.accepted);
              if (drained) await drained;
            }
          }
          if (performance.now() - workingSince > YIELD_AFTER_MS) {
            await nextTurn();
            workingSince = performance.now();
          }
          next = await batches.next();
          if (next.done) break;
        }
        await staging.end();
      } catch (error) {
        await staging.abort(error as Error);
        throw error;
      }
      await flushRejected();
      await progress.stop();
      totals.sizeBytes = upload.bytesRead();
      const queued = await markQueued(tx.db, importId, totals);
      if (!queued) throw CANCELLED_WHILE_UPLOADING();
      return queued;
    });
  } catch (error) {
    // The rows rejected so far stay as the user's receipt of what was wrong.
    await flushRejected().catch(() => {});
    throw error;
  } finally {
    await progress.stop();
  }
}
