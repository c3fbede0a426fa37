import type { Kysely } from "kysely";
import type pg from "pg";
import { tryTransactionLock } from "../../../db/advisory-locks.js";
import { isLostConnection, isPgError } from "../../../db/postgres-errors.js";
import type { Database } from "../../../db/schema.js";
import { withTransaction } from "../../../db/transaction.js";
import type { Logger } from "../../logger.js";
import { productCount } from "../../products/catalog-counts.table.js";
import { isBulkWrite, pause, withoutSearchIndexes } from "../../products/search-indexes.js";
import { failImport } from "../import-outcome.js";
import { markHandedBack, nextImportToApply, waitingImportIds, waitingRowCount, type ImportRow } from "../imports.table.js";
import { mergeImport } from "./merge-import.js";
import { settleStagedRows } from "../staging/repeated-skus.js";
import { stagedRowsLost } from "../staging/staging-table.js";
import { asLockHolder, type CatalogLockHolder } from "./catalog-lock-holder.js";

export interface ApplyDeps {
  db: Kysely<Database>;
  pool: pg.Pool;
  log: Logger;
  /** Shutdown: `finishing` lets the running import finish but starts no other; `handBack` stops it. */
  shutdown?: { finishing: AbortSignal; handBack: AbortSignal };
}

const MAX_CLASH_RETRIES = 3;
/** Merges cut short (lost connections, shutdowns) before an import is failed instead of tried again. */
const MAX_APPLY_ATTEMPTS = 10;

/** What one turn at the head of the queue came to. */
type Step =
  /** Nothing waits (or a shutdown came first): the worker is done for now. */
  | "idle"
  | "completed"
  /** Its merge went past its guard: rolled back, it waits in review for a person. */
  | "held"
  | "cancelled"
  /** Failed without a merge: its staged rows are gone, or it was cut short too often. */
  | "refused"
  | "failed"
  /** Someone created a product with one of its SKUs meanwhile; nothing applied, try again. */
  | "clashed"
  /** A shutdown stopped the merge; the import waits in the queue for another worker. */
  | "handed back"
  /** The database connection went away; the sweeper applies it again once it is back. */
  | "interrupted";

/** The one place that decides whether the worker goes on to the next import. */
const GO_ON: Record<Step, boolean> = {
  idle: false,
  completed: true,
  held: true,
  cancelled: true,
  refused: true,
  failed: true,
  clashed: true,
  "handed back": false,
  interrupted: false,
};

/** Applies every waiting import, oldest upload first; returns how many it settled. */
export async function applyWaitingImports(deps: ApplyDeps): Promise<number> {
  const applyAll = async () => {
    let settled = 0;
    const clashes = new Map<string, number>();
    while (!deps.shutdown?.finishing.aborted) {
      const step = await applyNextImport(deps, clashes);
      if (GO_ON[step] && step !== "clashed") settled += 1;
      if (!GO_ON[step]) break;
    }
    return settled;
  };
  if (deps.shutdown?.finishing.aborted) return 0;
  const waitingRows = await waitingRowCount(deps.db);
  if (isBulkWrite(waitingRows, await productCount(deps.db))) {
    // The drop and rebuild serve every import waiting now: their lines name them all.
    const log = deps.log.child({ importIds: await waitingImportIds(deps.db) });
    return (await withoutSearchIndexes(deps.pool, log, applyAll, deps.shutdown)) ?? 0;
  }
  return applyAll();
}

/**
 * Takes the catalog lock for the transaction, polling rather than waiting inside a statement: a
 * process shutting down must not sit behind another process's merge.
 */
async function takeCatalogLock(tx: Kysely<Database>, finishing: AbortSignal | undefined): Promise<CatalogLockHolder | null> {
  for (;;) {
    if (await tryTransactionLock(tx, "catalogWrite")) return finishing?.aborted ? null : asLockHolder(tx);
    if (finishing?.aborted) return null;
    await pause();
  }
}

/** Why an import waiting to apply cannot be, if it cannot. */
async function reasonNotToApply(tx: Kysely<Database>, row: ImportRow): Promise<{ error: string; retryable: boolean } | undefined> {
  if (await stagedRowsLost(tx, row)) {
    return { error: "Its staged rows are gone (the database lost them in a crash); nothing was changed. Upload the file again.", retryable: false };
  }
  if (row.apply_attempts >= MAX_APPLY_ATTEMPTS) {
    return {
      error: `Applying it was cut short ${row.apply_attempts} times (lost database connections or shutdowns); nothing was changed. Retry once the database is stable.`,
      retryable: true,
    };
  }
  return undefined;
}

/**
 * Applies the oldest waiting import in one transaction holding the catalog lock. `clashes` counts,
 * per import, merges undone by a product someone created with one of its SKUs meanwhile.
 */
async function applyNextImport(deps: ApplyDeps, clashes: Map<string, number>): Promise<Step> {
  let current: ImportRow | undefined;
  let log = deps.log;
  let step: Step;
  try {
    step = await withTransaction(deps.pool, async (tx): Promise<Step> => {
      // Holding the lock, anything still `processing` belongs to a process that died mid-merge.
      const locked = await takeCatalogLock(tx.db, deps.shutdown?.finishing);
      current = locked ? await nextImportToApply(locked) : undefined;
      if (!current) return "idle";
      // Every line about this import carries its id.
      log = deps.log.child({ importId: current.id });
      const refusal = await reasonNotToApply(locked!, current);
      if (refusal) {
        await failImport(deps.db, current.id, { transition: "failApply", ...refusal });
        return "refused";
      }
      const startedAt = performance.now();
      const outcome = await mergeImport({ outside: deps.db, log, handBack: deps.shutdown?.handBack }, locked!, current);
      if (outcome !== "completed") tx.rollbackAtEnd();
      // Queued again (on another connection) while this one still holds the lock: no other worker
      // can take it up half handed back.
      if (outcome === "handed back") await markHandedBack(deps.db, current.id);
      log.info({ rows: current.total_rows, applyMs: Math.round(performance.now() - startedAt) }, `import ${outcome}`);
      return outcome;
    });
  } catch (error) {
    if (!current) throw error;
    return afterFailedMerge(deps, current, error, clashes, log);
  }
  // Outside the catalog lock: the next import need not wait for the staged rows to be tidied.
  if (step === "completed" && current) {
    await settleStagedRows(deps.db, current.id).catch((error: unknown) =>
      log.warn({ error: (error as Error).message }, "staged rows of a completed import left for the retention sweep"),
    );
  }
  return step;
}

/** What a merge that threw (and rolled back) means for its import. */
async function afterFailedMerge(deps: ApplyDeps, row: ImportRow, error: unknown, clashes: Map<string, number>, log: Logger): Promise<Step> {
  const clashCount = (clashes.get(row.id) ?? 0) + 1;
  if (isPgError(error, "uniqueViolation") && clashCount <= MAX_CLASH_RETRIES) {
    // Nothing was applied; the next pass sees the new product and updates it instead.
    clashes.set(row.id, clashCount);
    return "clashed";
  }
  if (isLostConnection(error)) {
    // The import stays `processing`; a worker's sweeper applies it again once the database answers.
    log.warn({ error: (error as Error).message }, "import interrupted by a lost database connection; it will be applied again");
    return "interrupted";
  }
  log.warn({ err: error }, "import failed");
  const reason = `Applying the import failed, nothing was changed: ${(error as Error).message}`;
  await failImport(deps.db, row.id, { transition: "failApply", error: reason, retryable: true });
  return "failed";
}
