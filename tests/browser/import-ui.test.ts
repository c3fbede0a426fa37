import { afterAll, beforeAll, expect, it } from "vitest";
import { mkdtempSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import { apiClient } from "../support/api-client.js";
import { startAppProcess, type AppProcess } from "../support/app-process.js";
import { createTestDatabase } from "../support/test-database.js";
import { holdCatalogLock } from "../support/catalog-lock.js";
import { cspViolations, launchBrowser } from "../support/browser.js";

let server: AppProcess;
let browser: Browser;
let databaseUrl: string;
const dir = mkdtempSync(path.join(os.tmpdir(), "import-ui-"));

beforeAll(async () => {
  databaseUrl = await createTestDatabase();
  server = await startAppProcess({ DATABASE_URL: databaseUrl });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

function writeCatalog(name: string, rows: number, extra = "", prefix = "ui") {
  const lines = Array.from({ length: rows }, (_, index) => `${prefix}-${index},Product ${index},"A ""quoted"", described item"`);
  const file = path.join(dir, name);
  writeFileSync(file, `sku,name,description\n${lines.join("\n")}\n${extra}`);
  return file;
}

it("uploads a CSV through the page and follows it live to the completed summary", async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}/imports`);
  await page.getByLabel("CSV file").setInputFiles(writeCatalog("catalog.csv", 20_000, ",No sku,\n"));
  await page.getByLabel("Review the changes before applying them").uncheck();
  await page.getByRole("button", { name: "Upload and import" }).click();
  await page.waitForURL(/\/imports\/\d+$/);
  await expect.poll(() => page.locator(".badge").textContent(), { timeout: 30_000 }).toBe("Completed");
  const stat = (label: string) => page.locator(".stat", { hasText: label }).locator(".stat-value").textContent();
  expect(await stat("Created")).toBe("20,000");
  expect(await stat("Rejected")).toBe("1");
  await expect.poll(() => page.getByRole("row", { name: /20002 sku is empty/ }).count()).toBe(1);
  await page.close();
});

it("compresses a large CSV in the browser before sending it, and the server reads it as sent", async () => {
  const file = writeCatalog("catalog-large.csv", 60_000, "", "large");
  const size = statSync(file).size;
  const page = await browser.newPage();
  await page.goto(`${server.url}/imports`);
  await page.getByLabel("CSV file").setInputFiles(file);
  await page.getByLabel("Review the changes before applying them").uncheck();
  await page.getByRole("button", { name: "Upload and import" }).click();
  await page.waitForURL(/\/imports\/\d+$/);
  await expect.poll(() => page.locator("h1 .badge").textContent(), { timeout: 30_000 }).toBe("Completed");
  const id = new URL(page.url()).pathname.split("/").pop()!;
  const sent = await apiClient(server.url).waitForImport(id);
  // gzip: the repeated columns of a catalog travel as a fraction of the file, under its own name.
  expect(sent).toMatchObject({ filename: "catalog-large.csv", createdCount: 60_000, errorCount: 0 });
  expect(sent.sizeBytes).toBeLessThan(size * 0.35);
  await page.close();
});

it("shows a waiting import's live state in every tab and after a reload", async () => {
  const lock = await holdCatalogLock(databaseUrl);
  const form = new FormData();
  form.append("file", new Blob(["sku,name\nlive-1,Live\n"]), "live.csv");
  const { id } = (await (await fetch(`${server.url}/api/imports`, { method: "POST", body: form })).json()) as { id: string };
  const first = await browser.newPage();
  const second = await browser.newPage();
  await first.goto(`${server.url}/imports/${id}`);
  await second.goto(`${server.url}/imports/${id}`);
  expect(await first.locator(".badge").textContent()).toBe("Queued");
  await lock.release();
  for (const page of [first, second]) {
    await expect.poll(() => page.locator(".badge").textContent(), { timeout: 20_000 }).toBe("Completed");
  }
  await first.reload();
  expect(await first.locator(".badge").textContent()).toBe("Completed");
  await first.close();
  await second.close();
});

it("explains a file it refuses, next to the upload form", async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}/imports`);
  const file = path.join(dir, "wrong.csv");
  writeFileSync(file, "title,price\nHat,3\n");
  await page.getByLabel("CSV file").setInputFiles(file);
  await page.getByRole("button", { name: "Upload and review" }).click();
  await expect.poll(() => page.getByRole("alert").textContent()).toMatch(/must name the columns sku and name/);
  await page.close();
});

it("runs under the Content-Security-Policy without a single refusal", () => {
  expect(cspViolations(browser)).toEqual([]);
});
