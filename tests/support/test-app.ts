import { sql } from "kysely";
import { loadConfig, type Config } from "../../server/config.js";
import { startApp, type RunningApp } from "../../runtime.js";
import { createProductImporterClient, type ProductImporterClient } from "../../server/web/client.js";
import { createTestDatabase } from "./test-database.js";
import { transactionLock } from "../../db/advisory-locks.js";
import { pause, trySearchIndexLock } from "../../server/products/search-indexes.js";
import type { ImportJson } from "../../server/imports/import-json.js";
import { isTerminal } from "../../server/imports/import-status.js";
import type { UploadAnswer } from "./upload-answer.js";
import { waitUntil } from "./wait.js";

export interface TestApp extends RunningApp {
  /** The typed API client another service would use (product-importer/client). */
  api: ProductImporterClient;
  /** The raw tRPC answer, for asserting on errors. */
  trpcRaw(procedure: string, input: unknown, method?: "GET" | "POST"): Promise<{ status: number; body: any }>;
  /** Uploads as the Imports page does: the options as form fields before the file. */
  uploadCsv(csv: string | Buffer, filename?: string, options?: Record<string, string>): Promise<UploadAnswer>;
  waitForImport(id: string, until?: (item: ImportJson) => boolean, timeoutMs?: number): Promise<ImportJson>;
  products(): Promise<{ sku: string; name: string; description: string; active: boolean }[]>;
  /** Empties the catalog (and its count) so a test starts from nothing. */
  resetCatalog(): Promise<void>;
  /**
   * Waits for a search-index rebuild after a large import to finish: DDL on products beside
   * CREATE INDEX CONCURRENTLY deadlocks.
   */
  searchIndexesSettled(): Promise<void>;
  /** The catalog ordered by SKU key, independent of insertion order. */
  productsBySku(): Promise<{ sku: string; name: string; description: string; active: boolean }[]>;
}

/** The real server, in this process, on its own fresh database and a free port. */
export async function startTestApp(overrides: Partial<Record<keyof Config, string>> = {}, options: { pages?: boolean } = {}): Promise<TestApp> {
  const databaseUrl = await createTestDatabase();
  const config = loadConfig({ PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "silent", DATABASE_URL: databaseUrl, ...overrides });
  const app = await startApp(config, { pages: options.pages ?? false });

  async function trpcRaw(procedure: string, input: unknown, method: "GET" | "POST" = "GET") {
    const response =
      method === "GET"
        ? await fetch(`${app.url}/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input ?? {}))}`)
        : await fetch(`${app.url}/api/trpc/${procedure}`, {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify(input ?? {}),
          });
    return { status: response.status, body: await response.json() };
  }
  const api = createProductImporterClient(app.url);

  return {
    ...app,
    api,
    trpcRaw,
    async uploadCsv(csv, filename = "products.csv", options = {}) {
      const form = new FormData();
      for (const [name, value] of Object.entries(options)) form.append(name, value);
      form.append("file", new Blob([typeof csv === "string" ? csv : new Uint8Array(csv)], { type: "text/csv" }), filename);
      const response = await fetch(`${app.url}/api/imports`, { method: "POST", body: form });
      return { status: response.status, body: await response.json() };
    },
    waitForImport(id, until = (item) => isTerminal(item.status), timeoutMs = 30_000) {
      let last = "";
      return waitUntil(
        () => `import ${id} (still ${last})`,
        async () => {
          const item = await api.imports.get.query({ id });
          last = item.status;
          return until(item) && item;
        },
        timeoutMs,
      );
    },
    async products() {
      const { rows } = await sql<{ sku: string; name: string; description: string; active: boolean }>`
        SELECT sku, name, description, active FROM products ORDER BY id`.execute(app.database.db);
      return rows;
    },
    async resetCatalog() {
      // Waits, like products.deleteAll, for an import or a search-index rebuild still running.
      for (;;) {
        const done = await app.database.db.transaction().execute(async (tx) => {
          if (!(await trySearchIndexLock(tx))) return false;
          await transactionLock(tx, "catalogWrite");
          await sql`TRUNCATE products`.execute(tx);
          await sql`UPDATE catalog_counts SET products = 0`.execute(tx);
          return true;
        });
        if (done) return;
        await pause();
      }
    },
    async searchIndexesSettled() {
      while (!(await app.database.db.transaction().execute((tx) => trySearchIndexLock(tx)))) await pause();
    },
    async productsBySku() {
      const { rows } = await sql<{ sku: string; name: string; description: string; active: boolean }>`
        SELECT sku, name, description, active FROM products ORDER BY sku_key(sku)`.execute(app.database.db);
      return rows;
    },
  };
}

/** Uploads a CSV and waits until it has been applied (or failed). */
export async function importCsv(app: TestApp, csv: string | Buffer, filename?: string) {
  const upload = await app.uploadCsv(csv, filename);
  if (upload.status !== 202) throw new Error(`upload answered ${upload.status}: ${JSON.stringify(upload.body)}`);
  return app.waitForImport(upload.body.id);
}

/** The outbox, in the order the events were recorded. */
export async function recordedEvents(app: TestApp) {
  const { rows } = await sql<{ type: string; data: any }>`SELECT type, data FROM events ORDER BY position`.execute(app.database.db);
  return rows;
}

/** How the API turned a call down: its tRPC code and message. */
export async function refusalOf(app: TestApp, procedure: string, input: unknown, method: "GET" | "POST" = "POST") {
  const { body } = await app.trpcRaw(procedure, input, method);
  return { code: body.error?.data?.code as string, message: body.error?.message as string };
}

/** Waits until exactly `count` imports are uploading (their files are being staged), and returns them. */
export function uploadingImports(app: TestApp, count: number, timeoutMs = 5_000) {
  return waitUntil(
    `${count} uploads to be staging`,
    async () => {
      const { items } = await app.api.imports.list.query({});
      const found = items.filter((item: { status: string }) => item.status === "uploading");
      return found.length === count ? found : undefined;
    },
    timeoutMs,
  );
}
