import pg from "pg";
import { releaseSessionLock, sessionLock } from "../../db/advisory-locks.js";

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
