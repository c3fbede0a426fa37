import { Refusal } from "../../refusal.js";
import { countWords } from "../../count-words.js";
import { ImportNotFound } from "../import-errors.js";
import type { ImportScheduler } from "../import-queue.js";
import { findImport, type ImportRow } from "../imports.table.js";
import { failImport } from "../import-outcome.js";
import { stageRecords, type StagingDeps } from "../upload/stage-records.js";
import { bringIn, fixedRowsOf, followUpOnItsWay } from "./fixed-rows.table.js";
import { joinReview } from "./join-review.js";
import { fixedRowsFile } from "./fixed-rows-file.js";
import { readingOf } from "./import-reading.js";

export interface ImportFixedDeps extends StagingDeps {
  imports: ImportScheduler;
}

/**
 * imports.importFixed: the import's fixed rows brought in. An import still in review takes them
 * into its own staged rows (its review then counts them); any other becomes the source of a new
 * import of just those rows, read with its mapping and applied in its mode (a sync's rows alone
 * are no whole catalog: they add and update), linked both ways, queued like any upload.
 */
export async function importFixed(deps: ImportFixedDeps, id: string) {
  const row = await findImport(deps.db, id);
  if (!row) throw new ImportNotFound(id);
  if (["uploading", "queued", "processing"].includes(row.status)) {
    throw new Refusal("conflict", `Import ${id} is ${row.status}; bring its fixed rows in once it has ended or while it is in review.`);
  }
  const inFlight = await followUpOnItsWay(deps.db, id);
  if (inFlight) throw new Refusal("conflict", `Import ${inFlight} is bringing this import's fixed rows in already; wait until it has ended.`);
  const fixed = await fixedRowsOf(deps.db, id);
  if (!fixed.length)
    throw new Refusal("invalid", `Import ${id} has no fixed rows to bring in: fix some first (imports.fixRows or imports.replaceInRejected).`);
  if (row.status === "review") return joinReview(deps, row, fixed);
  return importOfFixedRows(deps, row, fixed);
}

/**
 * The fixed rows staged as an import of their own. They are marked as brought in while they stage
 * and merge, on another connection, as soon as the new import exists: on two cores that costs the
 * merge nothing. Rows whose import then fails are open again (fixed-rows.table.ts reads a failed
 * import's rows as not brought in), and another importFixed waits until this one has ended.
 */
async function importOfFixedRows(deps: ImportFixedDeps, row: ImportRow, fixed: { line: number; cells: string[] }[]): Promise<ImportRow> {
  let marking: Promise<void> = Promise.resolve();
  const lines = fixed.map(({ line }) => line);
  const upload = {
    filename: `${row.filename} (${countWords(fixed.length, "fixed row", "fixed rows")})`.slice(0, 255),
    mapping: readingOf(row),
    applying: {
      review: false,
      mode: row.mode === "sync" ? ("upsert" as const) : row.mode,
      syncAction: row.sync_action,
      emptyDescription: row.empty_description,
      emptyCells: row.empty_cells,
      confirmLargeSync: false,
    },
    fixesImportId: row.id,
    importId: null as string | null,
    onCreated: (importId: string) => {
      marking = bringIn(deps.db, row.id, importId, lines);
      marking.catch(() => {});
    },
    bytesRead: () => 0,
    stop: () => {},
  };
  let staged: ImportRow;
  try {
    staged = await stageRecords(deps, fixedRowsFile(row, fixed), upload);
  } catch (error) {
    await marking.catch(() => {});
    if (upload.importId) {
      const reason =
        error instanceof Refusal ? error.message : "The fixed rows could not be staged because of a server problem; nothing was imported.";
      await failImport(deps.db, upload.importId, { transition: "failUpload", error: reason, retryable: false }).catch(() => {});
    }
    throw error;
  }
  await deps.imports.requestApply();
  await marking;
  return (await findImport(deps.db, staged.id))!;
}
