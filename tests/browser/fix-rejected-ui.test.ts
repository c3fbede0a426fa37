import { afterAll, beforeAll, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { apiClient } from "../support/api-client.js";
import { startAppProcess, type AppProcess } from "../support/app-process.js";
import { cspViolations, launchBrowser } from "../support/browser.js";
import { createTestDatabase } from "../support/test-database.js";
import { SUPPLIER_FILE } from "../support/rejected-rows-file.js";

/**
 * Fixing rejected rows on the import's page (issue "Fix rejected rows"): a price fixed in the grid
 * with the keyboard, a comma replaced by a point across a column, the fixed rows imported.
 */

let server: AppProcess;
let browser: Browser;
let page: Page;
let importId: string;

beforeAll(async () => {
  server = await startAppProcess({ DATABASE_URL: await createTestDatabase() });
  const client = apiClient(server.url);
  const { body } = await client.uploadCsv(SUPPLIER_FILE, "supplier.csv");
  importId = body.id;
  expect(await client.waitForImport(importId)).toMatchObject({ status: "completed", errorCount: 4 });
  browser = await launchBrowser();
  page = await browser.newPage();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const cell = (column: string, line: number) => page.getByLabel(`${column}, line ${line}`, { exact: true });
const problemOf = (line: number) => page.locator("table.rejected-rows tr", { has: cell("sku", line) }).locator("td.problem");
const toast = () => page.locator(".toast").last();

it("fixes a price with the keyboard, replaces a comma by a point in a column, and imports the fixed rows", async () => {
  await page.goto(`${server.url}/imports/${importId}`);
  expect(await page.getByRole("heading", { name: /^Rejected rows \(4\)/ }).count()).toBe(1);
  expect(await cell("price", 3).getAttribute("aria-invalid")).toBe("true");
  expect(await problemOf(3).textContent()).toBe('price "12.50 €/Stk" is not a number');

  // Into the price of line 3, a value typed and taken back with Escape, then the fix saved with Enter.
  await cell("price", 3).click();
  await page.keyboard.press("Control+A");
  await page.keyboard.type("oops");
  await page.keyboard.press("Escape");
  expect(await cell("price", 3).inputValue()).toBe("12.50 €/Stk");
  await page.keyboard.press("Control+A");
  await page.keyboard.type("12.50");
  await page.keyboard.press("Enter");
  await expect.poll(() => problemOf(3).textContent()).toBe("Fixed ✓");
  expect(await toast().textContent()).toContain("Line 3 is fixed.");
  // Arrow keys move through the grid: down to line 4's price, right to its stock.
  await cell("price", 3).focus();
  await page.keyboard.press("ArrowDown");
  expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe("price, line 4");
  await page.keyboard.press("End");
  await page.keyboard.press("ArrowRight");
  expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe("stock, line 4");

  // Find and replace: previewed first, then done.
  const replace = page.getByRole("group", { name: "Find and replace in one column" });
  await replace.getByLabel("Column").selectOption("price");
  await replace.getByLabel("Find").fill(",");
  await replace.getByLabel("Replace with").fill(".");
  await replace.getByRole("button", { name: "Preview" }).click();
  await expect.poll(() => toast().textContent()).toContain("Replacing in price would change 1 row and would fix 1. Nothing was changed yet.");
  expect(await cell("price", 4).inputValue()).toBe("7,95");
  await replace.getByRole("button", { name: "Replace in every row" }).click();
  await expect.poll(() => problemOf(4).textContent()).toBe("Fixed ✓");
  expect(await cell("price", 4).inputValue()).toBe("7.95");

  // The two fixed rows become an import of their own.
  await page.getByRole("button", { name: "Import 2 fixed rows" }).click();
  await page.waitForURL((url) => url.pathname !== `/imports/${importId}` && /\/imports\/\d+$/.test(url.pathname));
  await expect.poll(() => page.locator("h1 .badge").textContent(), { timeout: 30_000 }).toBe("Completed");
  expect(await page.locator("h1 .filename").textContent()).toBe("supplier.csv (2 fixed rows)");
  expect(await page.locator("h1 + p.meta").textContent()).toContain(`fixes rows of import ${importId}`);
  const prices = Object.fromEntries(
    (await apiClient(server.url).api.products.list.query({ pageSize: 50 })).items.map((product) => [product.sku, product.price]),
  );
  expect(prices).toMatchObject({ "OK-1": "12.50", "P-1": "12.50", "P-2": "7.95" });
  await page.goto(`${server.url}/imports/${importId}`);
  expect(await page.getByRole("heading", { name: /^Rejected rows \(2\)/ }).count()).toBe(1);
  expect(await page.locator(".brought-in").textContent()).toMatch(/^Fixed rows brought in by import \d+ \(2 rows, completed\)\.$/);

  // The rows nobody wants: filtered by their problem, left out together.
  await page.getByLabel("Only rows whose problem mentions").fill("empty");
  await page.getByRole("button", { name: "Show" }).click();
  await page.getByRole("button", { name: "Leave out this row" }).click();
  await expect.poll(() => toast().textContent()).toContain('Left out 1 row whose problem mentions "empty".');
  expect(await page.getByRole("heading", { name: /^Rejected rows \(1\)/ }).count()).toBe(1);
  expect(cspViolations(browser)).toEqual([]);
});
