import { afterAll, beforeAll, expect, it } from "vitest";
import { startAppProcess, type AppProcess } from "../support/app-process.js";
import { apiClient } from "../support/api-client.js";
import { scratchDir } from "../support/catalog-plan.js";
import { largeXlsxRow, writeLargeXlsx } from "../support/supplier-files.js";
import { createTestDatabase } from "../support/test-database.js";

const HEAP_LIMIT_MB = 96;
const ROWS = 100_000;

let server: AppProcess;
const scratch = scratchDir("streaming-workbook-");
beforeAll(async () => {
  // The server may use at most 96 MB of heap; the workbook's sheet alone is ~20 MB of XML per 100,000 rows.
  server = await startAppProcess({ DATABASE_URL: await createTestDatabase(), NODE_OPTIONS: `--max-old-space-size=${HEAP_LIMIT_MB}` });
});
afterAll(async () => {
  await server?.stop();
  scratch.remove();
});

it("imports a 100,000-row workbook streamed through a server allowed 96 MB of heap, with the sheet's row numbers as lines", async () => {
  const file = scratch.file("large.xlsx");
  await writeLargeXlsx(file, ROWS);
  const api = apiClient(server.url);
  const upload = await api.uploadFile(file, "large.xlsx");
  expect(upload.status).toBe(202);
  const done = await api.waitForImport(upload.body.id, undefined, 120_000);
  expect(done).toMatchObject({ status: "completed", format: "xlsx", sheet: "Products", createdCount: ROWS, errorCount: 0 });
  for (const n of [1, 4, ROWS]) {
    const [sku, name, description, active] = largeXlsxRow(n);
    const { items } = await api.api.products.list.query({ sku });
    expect(items[0]).toMatchObject({ sku, name, description, active: active === "yes" });
  }
}, 180_000);
