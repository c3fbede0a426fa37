import { afterAll, beforeAll, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import { startAppProcess, type AppProcess } from "../support/app-process.js";
import { launchBrowser } from "../support/browser.js";
import { SHOPIFY_SAMPLE } from "../support/shopify-sample.js";
import { shopifyRows } from "../support/supplier-files.js";
import { createTestDatabase } from "../support/test-database.js";

let server: AppProcess;
let browser: Browser;
const dir = mkdtempSync(path.join(os.tmpdir(), "shopify-ui-"));

beforeAll(async () => {
  server = await startAppProcess({ DATABASE_URL: await createTestDatabase() });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

it("a Shopify export without SKUs shows its made SKUs before the upload, says how it was read, folds its image rows, and applies with nothing rejected", async () => {
  const page = await browser.newPage();
  const file = path.join(dir, "products_export_1.csv");
  writeFileSync(file, shopifyRows(SHOPIFY_SAMPLE, "classic").content);
  await page.goto(`${server.url}/imports`);
  await page.getByLabel("CSV file").setInputFiles(file);
  const preview = page.locator(".preview tbody");
  await expect.poll(() => preview.locator("tr").first().textContent()).toContain("ocean-blue-shirt (made from its handle)");
  expect(await preview.locator("tr.skipped").first().textContent()).toMatch(/^6Skipped: an extra image of a product/);

  await page.getByRole("button", { name: "Upload and review" }).click();
  await page.waitForURL(/\/imports\/\d+$/);
  await expect.poll(() => page.locator("h1 .badge").textContent()).toBe("In review");
  const notices = page.getByRole("region", { name: "How the file was read" });
  expect(await notices.textContent()).toContain("SKUs were made from handles: 8 variants had no SKU of their own");
  expect(await notices.textContent()).toContain("3 rows only add an image to their product");
  const folded = page.locator(".stat", { has: page.locator(".stat-label", { hasText: /^Folded$/ }) });
  expect(await folded.textContent()).toContain("went into other rows");
  expect(await page.getByRole("heading", { name: /Rejected rows/ }).count()).toBe(0);
  // `SCREENSHOTS=1` refreshes the README's picture of this page.
  if (process.env.SCREENSHOTS === "1") await page.screenshot({ path: "docs/images/shopify-review.png", fullPage: true });

  await page.getByRole("button", { name: "Apply import" }).click();
  await expect.poll(() => page.locator("h1 .badge").textContent(), { timeout: 20_000 }).toBe("Completed");
  const created = page.locator(".stat", { has: page.locator(".stat-label", { hasText: /^Created$/ }) }).locator(".stat-value");
  expect(await created.textContent()).toBe("8");
  // Every variant a row of its own; grouped (the default), the handle is one line.
  await page.goto(`${server.url}/products?sort=sku&view=variants`);
  expect(await page.locator("tbody tr td:nth-child(2)").first().textContent()).toBe("classic-varsity-top-large");
  await page.goto(`${server.url}/products?sort=sku`);
  expect(await page.locator("tbody tr.group-line td:nth-child(2)").first().textContent()).toBe("classic-varsity-top");
});
