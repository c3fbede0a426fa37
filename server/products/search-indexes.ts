import { sql, type Kysely } from "kysely";
import type pg from "pg";
import { releaseSessionLock, trySessionLock, tryTransactionLock } from "../../db/advisory-locks.js";
import { kyselyOn } from "../../db/connect.js";
import { isPgError } from "../../db/postgres-errors.js";
import { withConnection } from "../../db/transaction.js";
import type { Database } from "../../db/schema.js";
import type { Logger } from "../logger.js";

/**
 * The indexes behind the list's text filters (trigram, migration 0003), its sorts (migration 0013)
 * and its `active = false` filter, sorted or not (migrations 0003 and 0014), and the commerce
 * fields' filters and sorts (migration 0019, docs/decisions/0018). Keeping them current
 * row by row makes a 466,693-row import write 24 s instead of 2 s, and deactivating the whole
 * catalog 3.3 s instead of 2.5 s, so large writes drop them and rebuild them once afterwards.
 * Until the rebuild finishes, filters and sorts still answer correctly, only by reading the table.
 */
export const SEARCH_INDEXES = [
  { name: "products_sku_search", definition: "USING gin (sku gin_trgm_ops)" },
  { name: "products_name_search", definition: "USING gin (name gin_trgm_ops)" },
  { name: "products_description_search", definition: "USING gin (description gin_trgm_ops)" },
  { name: "products_brand_search", definition: "USING gin (brand gin_trgm_ops)" },
  { name: "products_category_search", definition: "(lower(category) text_pattern_ops) INCLUDE (category)" },
  { name: "products_tag_search", definition: "USING gin (lower_tags(tags))" },
  // Fields of one's own (migration 0018): every equality filter on them, for every field at once.
  { name: "products_attributes", definition: "USING gin (attributes jsonb_path_ops)" },
  { name: "products_by_sku", definition: "(sku COLLATE catalog_order, id) INCLUDE (active)" },
  { name: "products_by_name", definition: "(name COLLATE catalog_order, id) INCLUDE (active)" },
  { name: "products_by_created", definition: "(created_at, id) INCLUDE (active)" },
  { name: "products_by_updated", definition: "(updated_at, id) INCLUDE (active)" },
  { name: "products_by_price", definition: "(price, id) INCLUDE (active)" },
  { name: "products_by_stock", definition: "(stock, id) INCLUDE (active)" },
  { name: "products_by_brand", definition: "(brand COLLATE catalog_order, id) INCLUDE (active)" },
  { name: "products_by_category", definition: "(category COLLATE catalog_order, id) INCLUDE (active)" },
  { name: "products_inactive", definition: "(id) WHERE NOT active" },
  { name: "products_inactive_by_sku", definition: "(sku COLLATE catalog_order, id) WHERE NOT active" },
  { name: "products_inactive_by_name", definition: "(name COLLATE catalog_order, id) WHERE NOT active" },
  { name: "products_inactive_by_created", definition: "(created_at, id) WHERE NOT active" },
  { name: "products_inactive_by_updated", definition: "(updated_at, id) WHERE NOT active" },
  { name: "products_out_of_stock_by_price", definition: "(price, id) WHERE stock <= 0" },
  // Variants and images (migration 0020).
  { name: "products_group_search", definition: "(lower(product_group), id) WHERE product_group IS NOT NULL" },
  { name: "products_by_group", definition: "(product_group COLLATE catalog_order, id) INCLUDE (active)" },
  { name: "products_without_images", definition: "(id) WHERE images = '{}'::text[]" },
] as const;

/**
 * At most one process drops or rebuilds the search indexes at a time (the `searchIndexes` lock).
 * Whoever also needs the catalog write lock takes this one first. Nobody waits for it inside a
 * statement: CREATE INDEX CONCURRENTLY waits for every transaction with an older snapshot, so a
 * session blocked on this lock while its holder builds an index is a deadlock. Take it with a
 * try, and poll.
 */
const POLL_MS = 200;

/** Takes the lock for the caller's transaction, unless someone is rebuilding the indexes. */
export const trySearchIndexLock = (tx: Kysely<Database>) => tryTransactionLock(tx, "searchIndexes");

export const pause = (ms = POLL_MS) => new Promise((resolve) => setTimeout(resolve, ms));

const NAMES = SEARCH_INDEXES.map((index) => index.name);

/**
 * A write of at least this many rows, and at least a third of the catalog, goes faster without the
 * search indexes and one rebuild afterwards than updating them row by row (docs/decisions/0005).
 */
const BULK_ROWS = 20_000;
export const isBulkWrite = (rows: number, catalogSize: number) => rows >= BULK_ROWS && rows >= catalogSize / 3;

/** Search indexes that are missing, or left invalid by an interrupted concurrent build. */
export async function unusableSearchIndexes(db: Kysely<Database>): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    SELECT name FROM unnest(${NAMES}::text[]) AS name
    WHERE NOT EXISTS (
      SELECT 1 FROM pg_index WHERE indexrelid = to_regclass(name) AND indisvalid AND indisready)`.execute(db);
  return rows.map((row) => row.name);
}

/**
 * Runs `work` with the search indexes dropped, then rebuilds them (also when `work` throws).
 * Shutting down, it gives up waiting for the lock once `finishing` fires (returns undefined), and
 * skips or cuts the rebuild short once `handBack` does: a worker's sweeper finishes it. With
 * `rebuild: "later"` it returns as soon as `work` is done and rebuilds them in the background.
 * With `drop: "by work"` nothing is dropped until `work` calls `dropIndexes`: a write that checks
 * first (under this lock) and is refused leaves the indexes as they were, and nothing is rebuilt.
 */
export async function withoutSearchIndexes<T>(
  pool: pg.Pool,
  log: Logger,
  work: (dropIndexes: () => Promise<void>) => Promise<T>,
  shutdown?: { finishing: AbortSignal; handBack: AbortSignal },
  options: ({ rebuild: "after" } | { rebuild: "later"; db: Kysely<Database> }) & { drop?: "first" | "by work" } = { rebuild: "after" },
): Promise<T | undefined> {
  let dropped = false;
  try {
    const result = await holdingSearchIndexLock(
      pool,
      "wait",
      async (client) => {
        const dropIndexes = async () => {
          dropped = true;
          for (const { name } of SEARCH_INDEXES) await client.query(`DROP INDEX CONCURRENTLY IF EXISTS ${name}`);
        };
        if (options.drop !== "by work") await dropIndexes();
        try {
          return { value: await work(dropIndexes) };
        } finally {
          if (dropped && options.rebuild === "after") await rebuild(pool, client, log, shutdown?.handBack);
        }
      },
      shutdown?.finishing,
    );
    return result?.value;
  } finally {
    // Also when `work` threw: the indexes were dropped all the same.
    if (dropped && options.rebuild === "later") {
      void repairSearchIndexes(pool, options.db, log).catch((error: unknown) =>
        log.warn({ error: (error as Error).message }, "rebuilding the search indexes failed; a worker's sweeper tries again"),
      );
    }
  }
}

/** Rebuilds what a crash mid-import left missing or invalid; skips if another process is at it. */
export async function repairSearchIndexes(pool: pg.Pool, db: Kysely<Database>, log: Logger, stop?: AbortSignal): Promise<void> {
  if (stop?.aborted || (await unusableSearchIndexes(db)).length === 0) return;
  await holdingSearchIndexLock(pool, "try", (client) => rebuild(pool, client, log, stop));
}

async function rebuild(pool: pg.Pool, client: pg.PoolClient, log: Logger, stop?: AbortSignal): Promise<void> {
  if (stop?.aborted) {
    log.info("search indexes left for a worker's sweeper to rebuild (shutting down)");
    return;
  }
  const startedAt = performance.now();
  const { rows } = await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
  const cancel = () => void pool.query("SELECT pg_cancel_backend($1)", [rows[0]!.pid]).catch(() => {});
  stop?.addEventListener("abort", cancel, { once: true });
  await client.query("SET maintenance_work_mem = '256MB'");
  try {
    // A write this large leaves the planner's picture of the table behind (none at all after a
    // first import) until autovacuum comes round, a minute or more later; meanwhile a filter most
    // products match is read through the trigram index instead of the first ids (9 ms, not 0.2).
    await client.query("ANALYZE products");
    for (const name of await unusableSearchIndexes(kyselyOn(client))) {
      const { definition } = SEARCH_INDEXES.find((index) => index.name === name)!;
      // An interrupted concurrent build leaves an INVALID index behind; it has to go first.
      await client.query(`DROP INDEX CONCURRENTLY IF EXISTS ${name}`);
      await buildSearchIndex(client, name, `ON products ${definition}`);
    }
  } catch (error) {
    if (!stop?.aborted) throw error;
    log.info("search index rebuild interrupted by shutdown; a worker's sweeper finishes it");
    return;
  } finally {
    stop?.removeEventListener("abort", cancel);
    await client.query("RESET maintenance_work_mem").catch(() => {});
  }
  log.info({ rebuildMs: Math.round(performance.now() - startedAt) }, "search indexes rebuilt");
}

/** How long the plain build waits for writers in flight before building concurrently instead. */
const BUILD_LOCK_WAIT = "1s";

/**
 * A plain CREATE INDEX blocks writes (not reads) while it runs, 1–5 s per index at 466,693
 * products, and builds 2.3× faster than CREATE INDEX CONCURRENTLY, whose second pass over the
 * table and index doubles the time text filters read the table (docs/decisions/0013). Writes that
 * still running after BUILD_LOCK_WAIT get the concurrent build instead, which lets them go on.
 */
async function buildSearchIndex(client: pg.PoolClient, name: string, definition: string): Promise<void> {
  await client.query(`SET lock_timeout = '${BUILD_LOCK_WAIT}'`);
  let built: boolean;
  try {
    built = await client.query(`CREATE INDEX ${name} ${definition}`).then(
      () => true,
      (error: unknown) => {
        if (isPgError(error, "lockNotAvailable")) return false;
        throw error;
      },
    );
  } finally {
    // The connection goes back to the pool; nobody else expects a one-second lock timeout.
    await client.query("RESET lock_timeout");
  }
  if (!built) await client.query(`CREATE INDEX CONCURRENTLY ${name} ${definition}`);
}

async function holdingSearchIndexLock<T>(
  pool: pg.Pool,
  mode: "wait" | "try",
  work: (client: pg.PoolClient) => Promise<T>,
  giveUp?: AbortSignal,
): Promise<T | undefined> {
  // A session lock, because CREATE/DROP INDEX CONCURRENTLY cannot run inside a transaction.
  return withConnection(pool, async ({ client, discard }) => {
    let got = await trySessionLock(client, "searchIndexes");
    while (!got && mode === "wait" && !giveUp?.aborted) {
      await pause();
      got = await trySessionLock(client, "searchIndexes");
    }
    if (!got) return undefined;
    try {
      return await work(client);
    } finally {
      // A connection that may still hold the session lock must not go back to the pool.
      await releaseSessionLock(client, "searchIndexes").catch(discard);
    }
  });
}
