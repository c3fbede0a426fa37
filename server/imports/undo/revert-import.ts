import { sql, type Kysely } from "kysely";
import type pg from "pg";
import type { Database, RevertSummary } from "../../../db/schema.js";
import { withTransaction } from "../../../db/transaction.js";
import { recordEvent } from "../../events/events.table.js";
import { ImportNotFound } from "../import-errors.js";
import { importEventData } from "../import-outcome.js";
import { findImport, lockImport, markNotRevertible, markReverted, type ImportRow } from "../imports.table.js";
import { importPhaseSeconds } from "../../metrics/app-metrics.js";
import { dropStagingTable } from "../staging/staging-table.js";
import type { Logger } from "../../logger.js";
import { addToProductCount, productCount } from "../../products/catalog-counts.table.js";
import { isBulkWrite, withoutSearchIndexes } from "../../products/search-indexes.js";
import { Refusal } from "../../refusal.js";
import { holdingCatalogLock, takeCatalogLock } from "./catalog-lock.js";
import { beforeImagesIntact, changedSince, expectedBeforeImages, removeCreated, restoreChanged, restoreDeleted } from "./before-images.js";

export interface RevertDeps {
  db: Kysely<Database>;
  pool: pg.Pool;
  log: Logger;
}

/** What an undo did (CONTRACT.md's imports.revert), also kept on the import as `revertSummary`. */
function cannotRevert(row: ImportRow): Refusal | undefined {
  if (row.status === "reverted") return new Refusal("conflict", `Import ${row.id} was undone already.`);
  if (row.status !== "completed") return new Refusal("conflict", `Import ${row.id} is ${row.status}; only a completed import can be undone.`);
  if (!row.revertible) {
    return new Refusal(
      "conflict",
      `Import ${row.id} can no longer be undone: what it overwrote is kept only for the staged-rows retention, and it is gone.`,
    );
  }
  return undefined;
}

/**
 * Undoes a completed import in one transaction holding the catalog lock: the products it created
 * are removed, the ones it changed or a sync deactivated get their values back, the ones a sync
 * deleted come back. Products changed since (by a later import, an edit, the API) hold other values:
 * with `partial` they are left as they are and counted as kept; without it any such product refuses
 * the whole undo. One `import.reverted` event carries the counts.
 */
export async function revertImport(deps: RevertDeps, id: string, options: { partial: boolean }): Promise<{ row: ImportRow; summary: RevertSummary }> {
  const row = await findImport(deps.db, id);
  if (!row) throw new ImportNotFound(id);
  const refusal = cannotRevert(row);
  if (refusal) throw refusal;
  const timed = importPhaseSeconds.startTimer({ phase: "undo" });
  const writes = row.created_count + expectedBeforeImages(row);
  const outcome = isBulkWrite(writes, await productCount(deps.db))
    ? await revertWithoutSearchIndexes(deps, id, options)
    : await withTransaction(deps.pool, ({ db: tx }) => undoInTransaction(deps, tx, id, options));
  if (outcome === "images gone") {
    await markNotRevertible(deps.db, id);
    throw new Refusal("conflict", `Import ${id} can no longer be undone: what it overwrote was lost (the database restarted after a crash).`);
  }
  timed();
  return outcome!;
}

/**
 * A large undo writes faster with the search indexes dropped and rebuilt once afterwards, but one
 * that is refused must leave them alone. So, holding the catalog lock from before its check until
 * it commits, it checks first and drops them only for an undo that will run.
 */
async function revertWithoutSearchIndexes(deps: RevertDeps, id: string, options: { partial: boolean }) {
  return withoutSearchIndexes(
    deps.pool,
    deps.log.child({ importId: id }),
    (dropIndexes) =>
      holdingCatalogLock(deps.pool, id, async (session) => {
        const verdict = await session.transaction().execute(async (tx) => {
          const row = await findImport(tx, id);
          // A partial undo is refused for no product changed since: those are counted once, as it runs.
          return options.partial ? whyNotUndoable(tx, id, row) : checkUndo(tx, id, row, options);
        });
        if (verdict === "images gone") return verdict;
        await dropIndexes();
        return session.transaction().execute((tx) => undoInTransaction(deps, tx, id, options));
      }),
    undefined,
    { rebuild: "later", db: deps.db, drop: "by work" },
  );
}

/** Refuses an undo of an import that is not there or not completed (throws), or says its before-images are gone. */
async function whyNotUndoable(tx: Kysely<Database>, id: string, row: ImportRow | undefined) {
  if (!row) throw new ImportNotFound(id);
  const refusal = cannotRevert(row);
  if (refusal) throw refusal;
  if (!(await beforeImagesIntact(tx, row))) return "images gone" as const;
  return row;
}

/**
 * Refuses an undo that cannot run (throws), or says its before-images are gone; otherwise answers
 * the import and the products changed since it, which a partial undo keeps.
 */
async function checkUndo(tx: Kysely<Database>, id: string, found: ImportRow | undefined, options: { partial: boolean }) {
  const row = await whyNotUndoable(tx, id, found);
  if (row === "images gone") return row;
  await sql`SET LOCAL client_connection_check_interval = '1s'`.execute(tx);
  await sql`SET LOCAL work_mem = '64MB'`.execute(tx);
  const changed = await changedSince(tx, row);
  if (changed.count > 0 && !options.partial) {
    const examples = changed.examples.join(", ");
    throw new Refusal(
      "conflict",
      `${changed.count.toLocaleString("en-US")} of the products import ${id} wrote changed after it (${examples}${changed.count > changed.examples.length ? ", …" : ""}); nothing was undone. Undo it partially to leave those as they are.`,
    );
  }
  return { row, changed };
}

/**
 * The undo in the caller's transaction. It checks again under the lock: a single product edit
 * takes no catalog lock, so one may have come in since any check made before.
 */
async function undoInTransaction(deps: RevertDeps, tx: Kysely<Database>, id: string, options: { partial: boolean }) {
  await takeCatalogLock(tx, id);
  const checked = await checkUndo(tx, id, await lockImport(tx, id), options);
  if (checked === "images gone") return checked;
  const { row, changed } = checked;
  const removed = await removeCreated(tx, row);
  const restoredChanged = await restoreChanged(tx, row);
  const broughtBack = await restoreDeleted(tx, row);
  await addToProductCount(tx, broughtBack - removed);
  const summary: RevertSummary = { restored: restoredChanged + broughtBack, removed, kept: changed.count, keptExamples: changed.examples };
  const reverted = await markReverted(tx, id, summary);
  if (!reverted) throw new Refusal("conflict", `Import ${id} changed meanwhile; reload and try again.`);
  await recordEvent(tx, "import.reverted", { ...importEventData(reverted), restored: summary.restored, removed, kept: summary.kept });
  await dropStagingTable(tx, id);
  deps.log.info({ importId: id, ...summary, keptExamples: undefined }, "import undone");
  return { row: reverted, summary };
}
