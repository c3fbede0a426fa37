import type { Kysely } from "kysely";
import type pg from "pg";
import { tryTransactionLock } from "../../db/advisory-locks.js";
import type { Database } from "../../db/schema.js";
import { withTransaction } from "../../db/transaction.js";
import { recordEvent, recordEvents } from "../events/events.table.js";
import type { Logger } from "../logger.js";
import { addToProductCount, productCount } from "./catalog-counts.table.js";
import { CatalogBusy } from "./product-errors.js";
import { toProductJson } from "./product-json.js";
import { activeFilters, hasFilter, type BulkTarget, type BulkUpdateInput } from "./product.schema.js";
import { countTargeted, deleteTargeted, updateTargeted } from "./products.table.js";
import { isBulkWrite, pause, withoutSearchIndexes } from "./search-indexes.js";

export interface BulkDeps {
  db: Kysely<Database>;
  pool: pg.Pool;
  log: Logger;
}

/**
 * Up to this many products changed by one bulk action, each gets its own product.updated /
 * product.deleted event (what a receiver of single changes expects); more get one
 * products.bulk_updated / products.bulk_deleted event with the target and the count.
 */
export const EVENT_PER_PRODUCT_LIMIT = 1_000;

/** How long a bulk action waits for an import being applied (or undone) before refusing. */
const CATALOG_LOCK_WAIT_MS = 15_000;

export interface BulkUpdateOutcome {
  /** Products whose `active` changed. */
  updated: number;
  /** Targeted products that had that value already (left alone). */
  unchanged: number;
  /** Listed ids with no product (0 for a filter). */
  unknown: number;
}

/**
 * Activates or deactivates every targeted product in one statement and one transaction, with its
 * events: all of it happens or none. A write large enough to be faster without the search and
 * sort indexes drops them first and rebuilds them in the background, as a large import does.
 */
export async function bulkUpdateProducts(deps: BulkDeps, input: BulkUpdateInput): Promise<BulkUpdateOutcome> {
  const target = targetOf(input);
  const { differing } = await countTargeted(deps.db, target, input.set.active);
  const apply = () =>
    inCatalogTransaction(deps, async (tx) => {
      const { matched } = await countTargeted(tx, target);
      const { count, rows } = await updateTargeted(tx, target, input.set.active, differing <= EVENT_PER_PRODUCT_LIMIT);
      if (rows && count <= EVENT_PER_PRODUCT_LIMIT)
        await recordEvents(
          tx,
          "product.updated",
          rows.map((row) => ({ ...toProductJson(row), previous: { active: !row.active } })),
        );
      else await recordEvent(tx, "products.bulk_updated", { ...describeTarget(target), set: input.set, count });
      return { updated: count, unchanged: matched - count, unknown: unknownIds(target, matched) };
    });
  return withIndexesFor(deps, differing, apply);
}

export interface BulkDeleteOutcome {
  deleted: number;
  unknown: number;
}

/** Deletes every targeted product in one statement and one transaction, with its events. */
export async function bulkDeleteProducts(deps: BulkDeps, input: BulkTarget): Promise<BulkDeleteOutcome> {
  const target = targetOf(input);
  const { matched } = await countTargeted(deps.db, target);
  // Deleting leaves index entries for VACUUM to clear, so no index is dropped for it.
  return inCatalogTransaction(deps, async (tx) => {
    const { count, rows } = await deleteTargeted(tx, target, matched <= EVENT_PER_PRODUCT_LIMIT);
    await addToProductCount(tx, -count);
    if (rows && count <= EVENT_PER_PRODUCT_LIMIT) await recordEvents(tx, "product.deleted", rows.map(toProductJson));
    else await recordEvent(tx, "products.bulk_deleted", { ...describeTarget(target), count });
    return { deleted: count, unknown: unknownIds(target, count) };
  });
}

/** Ids listed once each; a filter without its blank fields (`all: true` alone is the empty filter). */
function targetOf(input: BulkTarget): BulkTarget {
  if (input.ids) return { ids: [...new Set(input.ids)] };
  const kept = activeFilters(input.filter ?? {});
  return hasFilter(kept) ? { filter: kept } : { filter: {}, all: true };
}

const describeTarget = (target: BulkTarget) => (target.ids ? { ids: target.ids } : { filter: target.filter ?? {} });

const unknownIds = (target: BulkTarget, found: number) => (target.ids ? target.ids.length - found : 0);

async function withIndexesFor<T>(deps: BulkDeps, writes: number, apply: () => Promise<T>): Promise<T> {
  if (!isBulkWrite(writes, await productCount(deps.db))) return apply();
  const giveUp = AbortSignal.timeout(CATALOG_LOCK_WAIT_MS);
  const outcome = await withoutSearchIndexes(
    deps.pool,
    deps.log,
    apply,
    { finishing: giveUp, handBack: new AbortController().signal },
    { rebuild: "later", db: deps.db },
  );
  if (outcome === undefined) throw new CatalogBusy();
  return outcome;
}

/** `work` in a transaction holding the catalog write lock, polled: an import being applied holds it until its merge commits. */
function inCatalogTransaction<T>(deps: BulkDeps, work: (tx: Kysely<Database>) => Promise<T>): Promise<T> {
  return withTransaction(deps.pool, async ({ db: tx }) => {
    const giveUpAt = Date.now() + CATALOG_LOCK_WAIT_MS;
    while (!(await tryTransactionLock(tx, "catalogWrite"))) {
      if (Date.now() > giveUpAt) throw new CatalogBusy();
      await pause();
    }
    return work(tx);
  });
}
