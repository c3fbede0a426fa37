import { sql, type Kysely } from "kysely";
import type { Database } from "../../../db/schema.js";
import type { Logger } from "../../logger.js";
import { RETRYABLE_STATUSES, TERMINAL_STATUSES } from "../import-status.js";
import {
  markDiscarded,
  markNotRevertible,
  markStagedRowsExpired,
  retryableImportsOlderThan,
  revertibleImportsOlderThan,
  reviewsOlderThan,
} from "../imports.table.js";
import { settleStagedRows } from "./repeated-skus.js";
import { dropStagingTable } from "./staging-table.js";

const describeHours = (hours: number) => (hours % 24 === 0 ? `${hours / 24} days` : `${hours} hours`);

/**
 * What an import keeps in the staging schema is kept for STAGED_ROWS_RETENTION_HOURS, then dropped
 * (a 500,000-row file stages about 60 MB): a failed or cancelled import's rows (for a retry), a
 * review's rows (the review expires), a completed import's before-images (it can no longer be
 * undone). Each import's change of state and the drop commit together.
 */
export async function dropExpiredStaging(db: Kysely<Database>, log: Logger, keptHours: number): Promise<void> {
  const kept = describeHours(keptHours);
  const expire = async (ids: string[], mark: (tx: Kysely<Database>, id: string) => Promise<unknown>, what: string) => {
    for (const id of ids) {
      await db.transaction().execute(async (tx) => {
        if (await mark(tx, id)) await dropStagingTable(tx, id);
      });
      log.info({ importId: id }, what);
    }
  };
  await expire(
    await retryableImportsOlderThan(db, keptHours),
    (tx, id) => markStagedRowsExpired(tx, id, `(Its staged rows were removed after ${kept}; upload the file again to retry.)`),
    "staged rows of an old import removed",
  );
  await expire(
    await reviewsOlderThan(db, keptHours),
    (tx, id) =>
      markDiscarded(tx, id, `Its review was left open for ${kept}, so it expired; nothing was changed. Upload the file again to import it.`),
    "an expired review discarded",
  );
  await expire(
    await revertibleImportsOlderThan(db, keptHours),
    markNotRevertible,
    "before-images of an old import removed; it can no longer be undone",
  );
  await tidyLeftovers(db, log);
}

/**
 * Staged rows nothing will use, left by a process that stopped between a commit and the tidy-up
 * after it: a completed import's are settled (its repeated SKUs kept), any other's dropped.
 */
async function tidyLeftovers(db: Kysely<Database>, log: Logger): Promise<void> {
  const rows = await db
    .selectFrom("imports")
    .select(["id", "status", "revertible"])
    .where("status", "in", TERMINAL_STATUSES)
    .where((eb) => eb.not(eb.and([eb("status", "in", RETRYABLE_STATUSES), eb("retryable", "=", true)])))
    .where(sql<boolean>`finished_at < clock_timestamp() - interval '1 minute'`)
    .where(sql<boolean>`to_regclass('staging.import_' || id) IS NOT NULL`)
    .execute();
  for (const row of rows) {
    if (row.status === "completed" && row.revertible) await settleStagedRows(db, row.id);
    else await dropStagingTable(db, row.id);
    log.info({ importId: row.id }, "leftover staged rows removed");
  }
}
