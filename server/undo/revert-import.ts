import { sql, type Kysely } from "kysely";
import type pg from "pg";
import { tryTransactionLock } from "../../db/advisory-locks.js";
import type { Database } from "../../db/schema.js";
import { withTransaction } from "../../db/transaction.js";
import { recordEvent } from "../events/events.table.js";
import { ImportNotFound } from "../imports/import-errors.js";
import { importEventData } from "../imports/import-outcome.js";
import { findImport, lockImport, markNotRevertible, markReverted, type ImportRow } from "../imports/imports.table.js";
import { dropStagingTable } from "../imports/staging.js";
import type { Logger } from "../logger.js";
import { addToProductCount, productCount } from "../products/catalog-counts.table.js";
import { isBulkWrite, pause, withoutSearchIndexes } from "../products/search-indexes.js";
import { Refusal } from "../refusal.js";
import { beforeImagesIntact, changedSince, expectedBeforeImages, removeCreated, restoreChanged, restoreDeleted } from "./before-images.js";

export interface RevertDeps {
  db: Kysely<Database>;
  pool: pg.Pool;
  log: Logger;
}

/** What an undo did (CONTRACT.md's imports.revert), also kept on the import as `revertSummary`. */
export interface RevertSummary {
  /** Products given their values back (changed or deactivated by the import) or brought back (deleted by its sync). */
  restored: number;
  /** Products the import created, removed. */
  removed: number;
  /** Products changed after the import, left as they are. */
  kept: number;
  keptExamples: string[];
}

/** An undo waits this long for an import being applied to finish, then asks to be tried again. */
const CATALOG_LOCK_WAIT_MS = 15_000;

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
  const writes = row.created_count + expectedBeforeImages(row);
  const undo = () => undoInTransaction(deps, id, options);
  const outcome = isBulkWrite(writes, await productCount(deps.db))
    ? await withoutSearchIndexes(deps.pool, deps.log.child({ importId: id }), undo, undefined, { rebuild: "later", db: deps.db })
    : await undo();
  if (outcome === "images gone") {
    await markNotRevertible(deps.db, id);
    throw new Refusal("conflict", `Import ${id} can no longer be undone: what it overwrote was lost (the database restarted after a crash).`);
  }
  return outcome!;
}

async function undoInTransaction(deps: RevertDeps, id: string, options: { partial: boolean }) {
  return withTransaction(deps.pool, async ({ db: tx }) => {
    await takeCatalogLock(tx, id);
    const row = await lockImport(tx, id);
    if (!row) throw new ImportNotFound(id);
    const refusal = cannotRevert(row);
    if (refusal) throw refusal;
    if (!(await beforeImagesIntact(tx, row))) return "images gone" as const;
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
  });
}

/** The catalog lock, polled: an import being applied holds it until its merge commits. */
async function takeCatalogLock(tx: Kysely<Database>, id: string): Promise<void> {
  const giveUpAt = Date.now() + CATALOG_LOCK_WAIT_MS;
  while (!(await tryTransactionLock(tx, "catalogWrite"))) {
    if (Date.now() > giveUpAt) {
      throw new Refusal("conflict", `An import is being applied right now; undo import ${id} once it has finished.`, { retryAfterSeconds: 10 });
    }
    await pause();
  }
}
