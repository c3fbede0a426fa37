import pg from "pg";
import { releaseSessionLock, sessionLock } from "../../db/advisory-locks.js";
import { waitUntil } from "./wait.js";

/**
 * Holds the lock imports take to write the catalog, so a test can line imports up (or hold one
 * mid-merge) and then let them go. The app cannot tell it from a long import ahead of them.
 */
export async function holdCatalogLock(connectionString: string) {
  const client = new pg.Client({ connectionString });
  await client.connect();
  await sessionLock(client, "catalogWrite");
  return {
    client,
    async release() {
      await releaseSessionLock(client, "catalogWrite");
      await client.end();
    },
  };
}

/**
 * Waits until a session of the app is trying for the catalog lock inside its transaction, as a bulk
 * change does while an import (or `holdCatalogLock`) has it: the change has got as far as waiting.
 */
export function catalogLockAwaited(db: Pick<pg.ClientBase, "query">, timeoutMs = 5_000) {
  return waitUntil(
    "a transaction to wait for the catalog lock",
    async () =>
      (
        await db.query(
          `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
           AND xact_start IS NOT NULL AND query LIKE '%pg_try_advisory_xact_lock%'`,
        )
      ).rows.length > 0,
    timeoutMs,
  );
}

/** Blocks writes to the products table (not reads): an import that starts merging waits inside its transaction. */
export async function blockCatalogWrites(connectionString: string) {
  const client = new pg.Client({ connectionString });
  await client.connect();
  await client.query("BEGIN");
  await client.query("LOCK TABLE products IN SHARE MODE");
  return {
    async release() {
      await client.query("COMMIT");
      await client.end();
    },
  };
}
