import { Migrator, type Kysely, type Migration } from "kysely";
import pg from "pg";
import { sessionLock } from "./advisory-locks.js";
import * as catalogAndImports from "./migrations/0001_catalog_and_imports.js";
import * as catalogEvents from "./migrations/0002_catalog_events.js";
import * as catalogSearch from "./migrations/0003_catalog_search.js";
import * as webhooks from "./migrations/0004_webhooks.js";
import * as production from "./migrations/0005_production.js";
import * as supplierFiles from "./migrations/0006_supplier_files.js";
import * as reviewAndUndo from "./migrations/0007_review_and_undo.js";
import * as webhookAnswers from "./migrations/0008_webhook_answers.js";
import * as webhookRecovery from "./migrations/0009_webhook_recovery.js";
import * as webhookAlerts from "./migrations/0010_webhook_alerts.js";
import * as apiTokens from "./migrations/0011_api_tokens.js";
import * as webhookInFlight from "./migrations/0012_webhook_in_flight.js";
import * as catalogForDailyWork from "./migrations/0013_catalog_for_daily_work.js";
import * as inactiveSorts from "./migrations/0014_inactive_sorts.js";
import * as mappingHeaderHash from "./migrations/0015_mapping_header_hash.js";
import * as skippedRows from "./migrations/0016_skipped_rows.js";
import * as commerceFields from "./migrations/0017_commerce_fields.js";
import * as customFields from "./migrations/0018_custom_fields.js";
import * as commerceIndexes from "./migrations/0019_commerce_indexes.js";
import * as variantsAndImages from "./migrations/0020_variants_and_images.js";
import * as groupLines from "./migrations/0021_group_lines.js";
import * as feeds from "./migrations/0022_feeds.js";
import * as fixingRejectedRows from "./migrations/0023_fixing_rejected_rows.js";
import * as metrics from "./migrations/0024_metrics.js";

// Listed here rather than discovered on disk, so a bundler or a read-only image cannot lose one.
const migrations: Record<string, Migration> = {
  "0001_catalog_and_imports": catalogAndImports,
  "0002_catalog_events": catalogEvents,
  "0003_catalog_search": catalogSearch,
  "0004_webhooks": webhooks,
  "0005_production": production,
  "0006_supplier_files": supplierFiles,
  "0007_review_and_undo": reviewAndUndo,
  "0008_webhook_answers": webhookAnswers,
  "0009_webhook_recovery": webhookRecovery,
  "0010_webhook_alerts": webhookAlerts,
  "0011_api_tokens": apiTokens,
  "0012_webhook_in_flight": webhookInFlight,
  "0013_catalog_for_daily_work": catalogForDailyWork,
  "0014_inactive_sorts": inactiveSorts,
  "0015_mapping_header_hash": mappingHeaderHash,
  "0016_skipped_rows": skippedRows,
  "0017_commerce_fields": commerceFields,
  "0018_custom_fields": customFields,
  "0019_commerce_indexes": commerceIndexes,
  "0020_variants_and_images": variantsAndImages,
  "0021_group_lines": groupLines,
  "0022_feeds": feeds,
  "0023_fixing_rejected_rows": fixingRejectedRows,
  "0024_metrics": metrics,
};

/** Brings the schema up to date; safe to call from many processes starting at once. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run before (and below) the typed schema
export async function migrateToLatest(db: Kysely<any>, connectionString: string): Promise<void> {
  // Kysely locks as well, but two processes racing to create its bookkeeping tables can still clash.
  const lock = new pg.Client({ connectionString });
  await lock.connect();
  try {
    await sessionLock(lock, "migrations");
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
    const { error, results } = await migrator.migrateToLatest();
    const failed = results?.find((result) => result.status === "Error");
    if (error || failed) {
      throw new Error(`Migration ${failed?.migrationName ?? ""} failed: ${String(error)}`);
    }
  } finally {
    await lock.end();
  }
}
