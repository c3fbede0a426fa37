import path from "node:path";
import { afterAll, beforeAll, it } from "vitest";
import type { Browser } from "playwright-core";
import { apiClient } from "../support/api-client.js";
import { startAppProcess, type AppProcess } from "../support/app-process.js";
import { launchBrowser } from "../support/browser.js";
import { createTestDatabase } from "../support/test-database.js";

/** The README's picture of the rejected rows' grid (`UPDATE_SCREENSHOTS=1`): a supplier's file with a unit in its prices, one row fixed. */
const photographing = process.env.UPDATE_SCREENSHOTS === "1";
const image = (name: string) => path.resolve(import.meta.dirname, "../../docs/images", name);

let server: AppProcess;
let browser: Browser;
let importId: string;

beforeAll(async () => {
  if (!photographing) return;
  server = await startAppProcess({ DATABASE_URL: await createTestDatabase(), CURRENCY: "EUR" });
  const client = apiClient(server.url);
  const rows = [
    "Artikel,sku,name,price,stock,Lager",
    "1001,NW-1001,Wool cap,19.00,40,Hamburg",
    "1002,NW-1002,Trail boot 42,129.00 €/Stk,5,Hamburg",
    '1003,NW-1003,Trail boot 43,"129,00",3,Hamburg',
    "1004,NW-1004,Organic tee S,24.90,n/a,Rotterdam",
    "1005,NW-1005,,24.90,12,Rotterdam",
    "1006,NW-1006,Organic tee L,24.90 €/Stk,7,Rotterdam",
    "1007,NW-1007,Rain jacket M,89.00,lots,Hamburg",
  ].join("\n");
  const { body } = await client.uploadCsv(rows, "northwind-december.csv");
  importId = body.id;
  await client.waitForImport(importId);
  await client.api.imports.fixRows.mutate({ id: importId, rows: [{ line: 3, cells: { price: "129.00" } }] });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

it.runIf(photographing)("photographs the rejected rows' grid (docs/images/rejected-rows-grid.png)", async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${server.url}/imports/${importId}`);
  await page.getByLabel("price, line 4", { exact: true }).focus();
  await page.locator(".rejected-grid").screenshot({ path: image("rejected-rows-grid.png") });
  await page.close();
});
