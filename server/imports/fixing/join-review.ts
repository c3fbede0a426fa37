import { sql } from "kysely";
import type { Kysely } from "kysely";
import type pg from "pg";
import type { Database } from "../../../db/schema.js";
import { withTransaction } from "../../../db/transaction.js";
import { fieldDefinitions } from "../../products/custom-fields/custom-fields.js";
import { resolveColumns, type MappingChoice } from "../../mappings/resolve-columns.js";
import { Refusal } from "../../refusal.js";
import { lockImport, type ImportRow } from "../imports.table.js";
import { rowsOnThisThread } from "../rows/row-source.js";
import { StagingCopy } from "../staging/staging-copy.js";
import { openStagingCopy, stagedRowsLost } from "../staging/staging-table.js";
import { bringIn } from "./fixed-rows.table.js";
import { fixedRowsFile } from "./fixed-rows-file.js";
import { readingOf } from "./import-reading.js";

/**
 * Fixed rows join an import still in review: encoded as its file's rows were (its mapping, its
 * platform, its decimal point), copied into its staged rows, and taken off its rejected count in
 * one transaction. Its review is computed afresh when next looked at.
 */
export async function joinReview(
  deps: { db: Kysely<Database>; pool: pg.Pool },
  row: ImportRow,
  fixed: { line: number; cells: string[] }[],
): Promise<ImportRow> {
  if (await stagedRowsLost(deps.db, row)) {
    throw new Refusal(
      "conflict",
      `Import ${row.id}'s staged rows are gone (kept ${row.status === "review" ? "too long, or lost in a crash" : "no more"}); its fixed rows cannot join them. Discard it and import the file again.`,
    );
  }
  const choice: MappingChoice = readingOf(row);
  const fields = await fieldDefinitions(deps.db);
  const columns = resolveColumns(row.header, choice, undefined, fields);
  const file = fixedRowsFile(row, fixed);
  const source = rowsOnThisThread(file.records, async () => {});
  return withTransaction(deps.pool, async (tx) => {
    const locked = await lockImport(tx.db, row.id);
    if (locked?.status !== "review")
      throw new Refusal("conflict", `Import ${row.id} left review meanwhile (it is ${locked?.status ?? "gone"}); nothing was brought in.`);
    const header = await source.header();
    const staging = new StagingCopy(openStagingCopy(tx.client, row.id, columns.writes, columns.attributes.length > 0, false));
    const rejectedLines = new Set<number>();
    const batches = source.rows({ header, choice, saved: undefined, fields, emptyCells: row.empty_cells, keepRejectedSkus: row.mode === "sync" });
    await staging.copyAll(batches, (rows) => {
      for (const rejected of rows.rejected) rejectedLines.add(rejected.line);
    });
    const joined = fixed.map(({ line }) => line).filter((line) => !rejectedLines.has(line));
    await bringIn(tx.db, row.id, row.id, joined);
    await tx.db
      .updateTable("imports")
      .set({ error_count: sql`error_count - ${joined.length}`, review_summary: null, version: sql`version + 1` })
      .where("id", "=", row.id)
      .execute();
    return (await lockImport(tx.db, row.id))!;
  });
}
