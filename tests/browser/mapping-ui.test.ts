import { afterAll, beforeAll, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import { startAppProcess, type AppProcess } from "../support/app-process.js";
import { cspViolations, launchBrowser } from "../support/browser.js";
import { shopifyClassicExport } from "../support/supplier-files.js";
import { createTestDatabase } from "../support/test-database.js";

let server: AppProcess;
let browser: Browser;
const dir = mkdtempSync(path.join(os.tmpdir(), "mapping-ui-"));

beforeAll(async () => {
  server = await startAppProcess({ DATABASE_URL: await createTestDatabase() });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

it("shows a Shopify file's suggested columns and first rows before uploading it, takes a changed column, and imports it", async () => {
  const file = shopifyClassicExport([
    { sku: "TEE-1", name: "Organic tee", description: "Soft cotton", active: true, variants: [{ sku: "TEE-1-M", option: "M" }] },
    { sku: "CAP-1", name: "Wool cap", description: "Warm", active: false },
  ]);
  const local = path.join(dir, file.filename);
  writeFileSync(local, file.content);
  const page = await browser.newPage();
  await page.goto(`${server.url}/imports`);
  await page.getByLabel("CSV file").setInputFiles(local);

  await expect.poll(() => page.locator(".read-as").textContent()).toBe("Read as UTF-8, comma-separated · looks like a Shopify export");
  const column = (field: string) => page.locator(".field-columns").getByLabel(field);
  expect(await column("SKU").inputValue()).toBe("Variant SKU");
  expect(await column("Name").inputValue()).toBe("Title");
  expect(await column("Description").inputValue()).toBe("Body (HTML)");
  expect(await column("Active").inputValue()).toBe("Status");
  const preview = page.locator(".preview tbody tr");
  await expect.poll(() => preview.first().textContent()).toBe("2TEE-1Organic teeSoft cottonyes");
  expect(await preview.nth(1).textContent(), "the variant row carries its product's name").toBe("3TEE-1-MOrganic teeSoft cottonyes");

  // The description should not come along: choose "none", and the preview follows.
  await column("Description").selectOption("");
  await expect.poll(() => preview.first().textContent()).toBe("2TEE-1Organic teeyes");

  await page.getByLabel("Review the changes before applying them").uncheck();
  await page.getByRole("button", { name: "Upload and import" }).click();
  await page.waitForURL(/\/imports\/\d+$/);
  await expect.poll(() => page.locator(".badge").textContent(), { timeout: 30_000 }).toBe("Completed");
  expect(await page.locator("h1 + p.meta").textContent()).toContain("read as UTF-8, comma-separated; a Shopify export");
  const stat = (label: string) => page.locator(".stat", { hasText: label }).locator(".stat-value").textContent();
  expect(await stat("Created")).toBe("3");

  // The changed mapping is remembered for this header.
  await page.goto(`${server.url}/imports`);
  await expect.poll(() => page.locator(".mapping-list li").count()).toBe(1);
  expect(await page.locator(".mapping-fields").textContent()).toBe(
    'sku ← "Variant SKU", name ← "Title", active ← "Status", price ← "Variant Price", compareAtPrice ← "Variant Compare At Price", ' +
      'stock ← "Variant Inventory Qty", barcode ← "Variant Barcode", weightGrams ← "Variant Grams", brand ← "Vendor", ' +
      'category ← "Product Category", tags ← "Tags", group ← "Handle", images ← "Image Src", option1Name ← "Option1 Name", ' +
      'option1Value ← "Option1 Value", option2Name ← "Option2 Name", option2Value ← "Option2 Value", option3Name ← "Option3 Name", ' +
      'option3Value ← "Option3 Value"',
  );
  await page.close();
});

it("runs under the Content-Security-Policy without a single refusal", () => {
  expect(cspViolations(browser)).toEqual([]);
});
