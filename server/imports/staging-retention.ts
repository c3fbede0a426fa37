import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.js";
import type { Logger } from "../logger.js";
import { markStagedRowsExpired, retryableImportsOlderThan } from "./imports.table.js";
import { dropStagingTable } from "./staging.js";

/**
 * A failed or cancelled import keeps its staged rows so it can be retried without the file; a
 * 500,000-row file stages about 60 MB, so they are dropped once nobody is likely to retry.
 */
export async function dropExpiredStaging(db: Kysely<Database>, log: Logger, keptHours: number): Promise<void> {
  for (const id of await retryableImportsOlderThan(db, keptHours)) {
    await db.transaction().execute(async (tx) => {
      const days = keptHours % 24 === 0 ? `${keptHours / 24} days` : `${keptHours} hours`;
      if (await markStagedRowsExpired(tx, id, `(Its staged rows were removed after ${days}; upload the file again to retry.)`)) {
        await dropStagingTable(tx, id);
      }
    });
    log.info({ importId: id }, "staged rows of an old import removed");
  }
}
