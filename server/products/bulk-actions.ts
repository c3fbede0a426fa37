import type { Kysely } from "kysely";
import type pg from "pg";
import { tryTransactionLock } from "../../db/advisory-locks.js";
import type { Database } from "../../db/schema.js";
import { withTransaction } from "../../db/transaction.js";
import { recordEvent, recordEvents } from "../events/events.table.js";
import type { Logger } from "../logger.js";
import { Refusal } from "../refusal.js";
import { addToProductCount, productCount } from "./catalog-counts.table.js";
import { CatalogBusy } from "./product-errors.js";
import { TAG_LIMITS } from "./commerce-fields.schema.js";
import { previousValues, toProductJson } from "./product-json.js";
import { activeFilters, hasFilter, type BulkTarget, type BulkUpdateInput } from "./product.schema.js";
import { countTargeted, deleteTargeted, updateTargeted, type BulkChange } from "./products.table.js";
import { fieldDefinitions } from "./custom-fields/custom-fields.js";
import { readAttributeInput } from "./custom-fields/attribute-input.js";
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
  /** Products the change changed. */
  updated: number;
  /** Targeted products that were as it asks already (left alone). */
  unchanged: number;
  /** Listed ids with no product (0 for a filter). */
  unknown: number;
}

/** Adding tags would leave products with more than a product can have: refused whole, as a file row would be. */
export class TagLimitExceeded extends Refusal {
  constructor(products: number) {
    super(
      "invalid",
      `Nothing was changed: adding these tags would give ${products.toLocaleString("en-US")} product${products === 1 ? "" : "s"} more than ${TAG_LIMITS.count} tags, the most a product can have.`,
      { field: "addTags" },
    );
  }
}

/**
 * Sets fields, adds or removes tags on every targeted product in one statement and one
 * transaction, with its events: all of it happens or none, and only products it changes are
 * written. A write large enough to be faster without the search and sort indexes drops them first
 * and rebuilds them in the background, as a large import does.
 */
export async function bulkUpdateProducts(deps: BulkDeps, input: BulkUpdateInput): Promise<BulkUpdateOutcome> {
  const target = targetOf(input);
  const { attributes, ...set } = input.set ?? {};
  const change: BulkChange = {
    set,
    attributes: attributes && readAttributeInput(await fieldDefinitions(deps.db), attributes, false),
    addTags: input.addTags ?? [],
    removeTags: input.removeTags ?? [],
  };
  const { differing, overTagLimit } = await countTargeted(deps.db, target, change);
  // Refused before any index is dropped for it.
  if (overTagLimit > 0) throw new TagLimitExceeded(overTagLimit);
  const apply = () =>
    inCatalogTransaction(deps, async (tx) => {
      // An edit since the count above may have added tags; only the tags' limit can refuse now.
      const locked = await countTargeted(tx, target, change, { differing: false });
      if (locked.overTagLimit > 0) throw new TagLimitExceeded(locked.overTagLimit);
      const { count, rows } = await updateTargeted(tx, target, change, differing <= EVENT_PER_PRODUCT_LIMIT);
      if (rows && count <= EVENT_PER_PRODUCT_LIMIT)
        await recordEvents(
          tx,
          "product.updated",
          rows.map(({ before, after }) => {
            const product = toProductJson(after);
            return { ...product, previous: previousValues(toProductJson(before), product) };
          }),
        );
      else await recordEvent(tx, "products.bulk_updated", { ...describeTarget(target), ...describeChange(change), count });
      return { updated: count, unchanged: locked.matched - count, unknown: unknownIds(target, locked.matched) };
    });
  return withIndexesFor(deps, differing, apply);
}

/** The change as products.bulk_updated names it: what it set, and the tags added or removed when any were. */
const describeChange = ({ set, attributes, addTags, removeTags }: BulkChange) => ({
  set: attributes ? { ...set, attributes: { ...attributes.set, ...Object.fromEntries(attributes.clear.map((key) => [key, null])) } } : set,
  ...(addTags.length > 0 ? { addTags: [...addTags] } : {}),
  ...(removeTags.length > 0 ? { removeTags: [...removeTags] } : {}),
});

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
