import { sql, type Kysely } from "kysely";
import type pg from "pg";
import { kyselyOn } from "../../db/connect.js";
import type { Logger } from "../logger.js";
import type { Database } from "../../db/schema.js";
import { insertIntoEmptyCatalog, upsertIntoCatalog } from "../products/catalog-merge.js";
import { addToProductCount, productCount } from "../products/catalog-counts.table.js";
import { withoutSearchIndexes } from "../products/search-indexes.js";
import { MergeWatch } from "./merge-watch.js";
import { completeImport, failImport } from "./import-outcome.js";
import {
  markHandedBack,
  markProcessing,
  nextImportToApply,
  waitingImportIds,
  waitingRowCount,
  type ImportRow,
} from "./imports.table.js";
import {
  countDistinctStagedSkus,
  dropStagingTable,
  mergeCounter,
  readMergeCounter,
  resetMergeCounter,
  stagedRowsLost,
  stagingTable,
} from "./staging.js";
import { isLostConnection } from "../../db/connection-errors.js";

/** Held for the whole merge transaction: imports (and catalog-wide deletes) never interleave. */
export const CATALOG_WRITE_LOCK = 7_302_100;

export interface ApplyDeps {
  db: Kysely<Database>;
  pool: pg.Pool;
  log: Logger;
  /** Shutdown: `finishing` lets the running import finish but starts no other; `handBack` stops it. */
  shutdown?: { finishing: AbortSignal; handBack: AbortSignal };
}

/**
 * Imports at least this large, and at least a third of the catalog, write without the search
 * indexes and rebuild them once afterwards: cheaper than updating them row by row (measured in
 * docs/decisions/0005).
 */
const BULK_ROWS = 20_000;

/** Applies every waiting import, oldest upload first; returns how many it settled. */
export async function applyWaitingImports(deps: ApplyDeps): Promise<number> {
  const applyAll = async () => {
    let settled = 0;
    const clashes = new Map<string, number>();
    while (!deps.shutdown?.finishing.aborted && (await applyNextImport(deps, clashes))) settled += 1;
    return settled;
  };
  if (deps.shutdown?.finishing.aborted) return 0;
  const waitingRows = await waitingRowCount(deps.db);
  if (waitingRows >= BULK_ROWS && waitingRows >= (await productCount(deps.db)) / 3) {
    // The drop and rebuild serve every import waiting now: their lines name them all.
    const log = deps.log.child({ importIds: await waitingImportIds(deps.db) });
    return (await withoutSearchIndexes(deps.pool, log, applyAll, deps.shutdown)) ?? 0;
  }
  return applyAll();
}

const UNIQUE_VIOLATION = "23505";
const MAX_CLASH_RETRIES = 3;
/** Merges cut short (lost connections, shutdowns) before an import is failed instead of tried again. */
const MAX_APPLY_ATTEMPTS = 10;
const LOCK_POLL_MS = 200;

type Outcome = "completed" | "cancelled" | "handed back";

/**
 * Takes the catalog lock for the transaction, polling rather than waiting inside a statement: a
 * process shutting down must not sit behind another process's merge.
 */
async function takeCatalogLock(tx: Kysely<Database>, finishing: AbortSignal | undefined): Promise<boolean> {
  for (;;) {
    const { rows } = await sql<{ got: boolean }>`SELECT pg_try_advisory_xact_lock(${CATALOG_WRITE_LOCK}) AS got`.execute(tx);
    if (rows[0]!.got) return !finishing?.aborted;
    if (finishing?.aborted) return false;
    await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
  }
}

/** Why an import waiting to apply cannot be, if it cannot. */
async function reasonNotToApply(tx: Kysely<Database>, row: ImportRow): Promise<{ reason: string; retryable: boolean } | undefined> {
  if (await stagedRowsLost(tx, row)) {
    return { reason: "Its staged rows are gone (the database lost them in a crash); nothing was changed. Upload the file again.", retryable: false };
  }
  if (row.apply_attempts >= MAX_APPLY_ATTEMPTS) {
    return {
      reason: `Applying it was cut short ${row.apply_attempts} times (lost database connections or shutdowns); nothing was changed. Retry once the database is stable.`,
      retryable: true,
    };
  }
  return undefined;
}

/**
 * Applies the oldest waiting import in one transaction holding the catalog lock; returns whether
 * to go on with the next. `clashes` counts, per import, merges undone by a product someone created
 * with one of its SKUs meanwhile.
 */
async function applyNextImport(deps: ApplyDeps, clashes: Map<string, number>): Promise<boolean> {
  const client = await deps.pool.connect();
  const tx = kyselyOn(client);
  let current: ImportRow | undefined;
  let log = deps.log;
  let broken = false;
  try {
    await client.query("BEGIN");
    // Holding the lock, anything still `processing` belongs to a process that died mid-merge.
    current = (await takeCatalogLock(tx, deps.shutdown?.finishing)) ? await nextImportToApply(tx) : undefined;
    if (!current) {
      await client.query("COMMIT");
      return false;
    }
    // Every line about this import carries its id.
    log = deps.log.child({ importId: current.id });
    const refusal = await reasonNotToApply(tx, current);
    if (refusal) {
      await client.query("COMMIT");
      await failImport(deps.db, current.id, refusal.reason, { ...refusal, from: ["queued", "processing"] });
      return true;
    }
    const startedAt = performance.now();
    const outcome = await mergeImport({ ...deps, log }, tx, current);
    // Queued again (on another connection) while this one still holds the lock: no other worker
    // can take it up half handed back.
    if (outcome === "handed back") await markHandedBack(deps.db, current.id);
    await client.query(outcome === "completed" ? "COMMIT" : "ROLLBACK");
    log.info({ rows: current.total_rows, applyMs: Math.round(performance.now() - startedAt) }, `import ${outcome}`);
    return outcome !== "handed back";
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {
      broken = true;
    });
    if (!current) throw error;
    if (isLostConnection(error)) broken = true;
    return afterFailedMerge(deps, current, error, clashes, log);
  } finally {
    client.release(broken);
  }
}

/** What a merge that threw (and rolled back) means for its import; returns whether to go on. */
async function afterFailedMerge(deps: ApplyDeps, row: ImportRow, error: unknown, clashes: Map<string, number>, log: Logger): Promise<boolean> {
  const clashCount = (clashes.get(row.id) ?? 0) + 1;
  if ((error as { code?: string }).code === UNIQUE_VIOLATION && clashCount <= MAX_CLASH_RETRIES) {
    // Nothing was applied; the next pass sees the new product and updates it instead.
    clashes.set(row.id, clashCount);
    return true;
  }
  if (isLostConnection(error)) {
    // The import stays `processing`; a worker's sweeper applies it again once the database answers.
    log.warn({ error: (error as Error).message }, "import interrupted by a lost database connection; it will be applied again");
    return false;
  }
  log.warn({ err: error }, "import failed");
  const reason = `Applying the import failed, nothing was changed: ${(error as Error).message}`;
  await failImport(deps.db, row.id, reason, { retryable: true, from: ["processing", "queued"] });
  return true;
}

const QUERY_CANCELED = "57014";

async function mergeImport(deps: ApplyDeps, tx: Kysely<Database>, row: ImportRow): Promise<Outcome> {
  // Progress is written on other connections so the browser sees it before this transaction commits.
  if (!(await markProcessing(deps.db, row.id))) return "cancelled";
  await resetMergeCounter(deps.db, row.id);
  // A killed process must not leave its merge running unseen for long.
  await sql`SET LOCAL client_connection_check_interval = '1s'`.execute(tx);
  await sql`SET LOCAL work_mem = '64MB'`.execute(tx);
  const { rows } = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(tx);
  const distinctSkus = countDistinctStagedSkus(deps.db, row.id);
  distinctSkus.catch(() => {});
  const watch = new MergeWatch(deps.db, row.id, rows[0]!.pid, async () => {
    const fed = await readMergeCounter(deps.db, row.id);
    // Rows fed are distinct SKUs; scale to the file's rows, which is what the page counts.
    const distinct = await distinctSkus.catch(() => row.total_rows);
    return Math.min(row.total_rows - 1, Math.round((fed / Math.max(1, distinct)) * row.total_rows));
  }).start();
  const handBack = () => void watch.interrupt().catch(() => {});
  deps.shutdown?.handBack.addEventListener("abort", handBack, { once: true });
  if (deps.shutdown?.handBack.aborted) handBack();
  try {
    const source = { staged: stagingTable(row.id), progress: mergeCounter(row.id), fileHasActive: row.has_active_column };
    const firstImport = (await productCount(tx)) === 0;
    const { created } = firstImport ? await insertIntoEmptyCatalog(tx, source) : await upsertIntoCatalog(tx, source);
    const distinct = await distinctSkus;
    await watch.stop();
    if (watch.cancelled) return "cancelled";
    const completed = await completeImport(tx, row.id, { createdCount: created, updatedCount: distinct - created });
    if (!completed) return "cancelled";
    await addToProductCount(tx, created);
    await dropStagingTable(tx, row.id);
    deps.log.debug({ firstImport, created, distinct }, "merged");
    return "completed";
  } catch (error) {
    await watch.stop();
    // The watch stopped the statement because the import was cancelled or handed back: not a failure.
    if ((error as { code?: string }).code === QUERY_CANCELED) {
      if (watch.interrupted) return "handed back";
      if (watch.cancelled) return "cancelled";
    }
    throw error;
  } finally {
    deps.shutdown?.handBack.removeEventListener("abort", handBack);
  }
}
