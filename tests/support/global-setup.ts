import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { connectDatabase } from "../../db/connect.js";
import { ensureDatabase, startEmbeddedPostgres } from "../../db/embedded.js";
import { migrateToLatest } from "../../db/migrate.js";

export const TEMPLATE_DATABASE = "product_importer_template";

/** One throwaway Postgres for the whole run; each test file clones a migrated template from it. */
export default async function setup(project: TestProject) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "product-importer-test-"));
  const cluster = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "postgres"), persistent: false });
  await ensureDatabase(cluster.adminUrl, TEMPLATE_DATABASE);
  const template = connectDatabase(cluster.urlFor(TEMPLATE_DATABASE), { max: 2 });
  await migrateToLatest(template.db, template.connectionString);
  await template.close();
  project.provide("postgresAdminUrl", cluster.adminUrl);
  return async () => {
    await cluster.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    postgresAdminUrl: string;
  }
}
