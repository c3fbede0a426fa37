import { isProfileId, type ColumnMapping } from "../../mappings/mapping.schema.js";
import { Refusal } from "../../refusal.js";
import { countWords } from "../../count-words.js";
import { ImportNotFound } from "../import-errors.js";
import type { ImportScheduler } from "../import-queue.js";
import { findImport, type ImportRow } from "../imports.table.js";
import { stageRecords, type StagingDeps } from "../upload/stage-records.js";
import { bringIn, fixedRowsOf, followUpOnItsWay } from "./fixed-rows.table.js";
import { joinReview } from "./join-review.js";
import { fixedRowsFile } from "./fixed-rows-file.js";

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

async function importOfFixedRows(deps: ImportFixedDeps, row: ImportRow, fixed: { line: number; cells: string[] }[]): Promise<ImportRow> {
  const staged = await stageRecords(deps, fixedRowsFile(row, fixed), {
    filename: `${row.filename} (${countWords(fixed.length, "fixed row", "fixed rows")})`.slice(0, 255),
    mapping: {
      mapping: (row.mapping ?? {}) as ColumnMapping,
      profile: row.profile && isProfileId(row.profile) ? row.profile : undefined,
      decimalSeparator: row.decimal_separator_read ?? row.decimal_separator,
      imageBaseUrl: row.image_base_url ?? undefined,
    },
    applying: {
      review: false,
      mode: row.mode === "sync" ? "upsert" : row.mode,
      syncAction: row.sync_action,
      emptyDescription: row.empty_description,
      emptyCells: row.empty_cells,
      confirmLargeSync: false,
    },
    fixesImportId: row.id,
    importId: null,
    bytesRead: () => 0,
    stop: () => {},
  });
  // The merge need not wait for the rows to be marked: it starts while they are (another importFixed
  // meanwhile is refused while this import is on its way, so no row goes in twice).
  await deps.imports.requestApply();
  await bringIn(
    deps.db,
    row.id,
    staged.id,
    fixed.map(({ line }) => line),
  );
  return (await findImport(deps.db, staged.id))!;
}
