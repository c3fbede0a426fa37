import path from "node:path";
import { afterAll, beforeAll, it } from "vitest";
import type { Browser } from "playwright-core";
import { apiClient } from "../support/api-client.js";
import { startAppProcess, type AppProcess } from "../support/app-process.js";
import { createTestDatabase } from "../support/test-database.js";
import { launchBrowser } from "../support/browser.js";

/** The README's pictures of fields of your own (`UPDATE_SCREENSHOTS=1`): the Fields page, and a product with its fields. */
const photographing = process.env.UPDATE_SCREENSHOTS === "1";
const image = (name: string) => path.resolve(import.meta.dirname, "../../docs/images", name);

let server: AppProcess;
let browser: Browser;

beforeAll(async () => {
  if (!photographing) return;
  server = await startAppProcess({ DATABASE_URL: await createTestDatabase(), CURRENCY: "EUR" });
  const api = apiClient(server.url).api;
  await api.fields.create.mutate({ label: "Material", type: "text" });
  await api.fields.create.mutate({ label: "Fit", type: "choice", options: ["Slim", "Regular", "Relaxed"] });
  await api.fields.create.mutate({ label: "Country of origin", type: "text", required: true });
  await api.fields.create.mutate({ label: "Launch date", type: "date" });
  await api.fields.create.mutate({ label: "Care", type: "list" });
  const file = [
    "sku,name,price,compare_at_price,stock,barcode,weight_grams,brand,category,tags,material,fit,country of origin,launch date,care",
    'TEE-NAVY-M,"Organic tee, navy, M",24.90,29.90,118,4006381333931,180,Northwind,Apparel > Shirts,"cotton, summer",Organic cotton,Regular,Portugal,2026-03-01,"machine wash 30, tumble dry low"',
    'TEE-NAVY-L,"Organic tee, navy, L",24.90,29.90,64,4006381333948,190,Northwind,Apparel > Shirts,"cotton, summer",Organic cotton,Regular,Portugal,2026-03-01,"machine wash 30"',
    "CAP-WOOL,Wool cap,19.00,,0,4006381333955,85,Fjord,Apparel > Headwear,winter,Merino wool,Slim,Norway,2025-10-15,hand wash",
  ].join("\n");
  await apiClient(server.url).importCsv(file, "catalog.csv");
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

it.runIf(photographing)("photographs the Fields page (docs/images/fields.png)", async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 640 } });
  await page.goto(`${server.url}/fields`);
  await page.screenshot({ path: image("fields.png") });
  await page.close();
});

it.runIf(photographing)("photographs a product with its fields in the edit dialog (docs/images/product-fields.png)", async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1180 } });
  await page.goto(`${server.url}/products?sku=TEE-NAVY-M`);
  await page.getByRole("link", { name: "Edit TEE-NAVY-M" }).click();
  await page.getByRole("dialog").getByLabel("Fit").waitFor();
  await page.screenshot({ path: image("product-fields.png") });
  await page.close();
});
