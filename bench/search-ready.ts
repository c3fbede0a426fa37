import { connectDatabase } from "../db/connect.js";
import { unusableSearchIndexes } from "../server/products/search-indexes.js";

/**
 * Waits until a large import's search indexes have been rebuilt (text filters are slower until
 * then); returns how long that took.
 */
export async function waitForSearchIndexes(databaseUrl: string, timeoutMs = 300_000): Promise<number> {
  const started = performance.now();
  const database = connectDatabase(databaseUrl, { max: 1 });
  try {
    while ((await unusableSearchIndexes(database.db)).length > 0) {
      if (performance.now() - started > timeoutMs) throw new Error("search indexes were not rebuilt in time");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return performance.now() - started;
  } finally {
    await database.close();
  }
}
