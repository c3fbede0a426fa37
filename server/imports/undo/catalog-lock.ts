import type { Kysely } from "kysely";
import type pg from "pg";
import { releaseSessionLock, trySessionLock, tryTransactionLock } from "../../../db/advisory-locks.js";
import type { Database } from "../../../db/schema.js";
import { withConnection } from "../../../db/transaction.js";
import { pause } from "../../products/search-indexes.js";
import { Refusal } from "../../refusal.js";

/** An undo waits this long for an import being applied to finish, then asks to be tried again. */
const CATALOG_LOCK_WAIT_MS = 15_000;

/**
 * Polls for the catalog lock rather than waiting inside a statement: an import being applied holds
 * it until its merge commits, and an undo gives up after CATALOG_LOCK_WAIT_MS.
 */
async function pollCatalogLock(id: string, tryLock: () => Promise<boolean>): Promise<void> {
  const giveUpAt = Date.now() + CATALOG_LOCK_WAIT_MS;
  while (!(await tryLock())) {
    if (Date.now() > giveUpAt) {
      throw new Refusal("conflict", `An import is being applied right now; undo import ${id} once it has finished.`, { retryAfterSeconds: 10 });
    }
    await pause();
  }
}

/** The catalog lock for the caller's transaction (at once if its session holds it already). */
export const takeCatalogLock = (tx: Kysely<Database>, id: string) => pollCatalogLock(id, () => tryTransactionLock(tx, "catalogWrite"));

/**
 * `work` on one connection holding the catalog lock for its session, across several transactions:
 * an undo that checks in one transaction and writes in the next lets no import or bulk change in
 * between, while leaving no transaction open on the products table in the meantime (DROP INDEX
 * CONCURRENTLY, run on another connection, waits for every such transaction).
 */
export async function holdingCatalogLock<T>(pool: pg.Pool, id: string, work: (session: Kysely<Database>) => Promise<T>): Promise<T> {
  return withConnection(pool, async ({ client, db, discard }) => {
    await pollCatalogLock(id, () => trySessionLock(client, "catalogWrite"));
    try {
      return await work(db);
    } finally {
      // A connection that may still hold the lock must not go back to the pool.
      await releaseSessionLock(client, "catalogWrite").catch(discard);
    }
  });
}
