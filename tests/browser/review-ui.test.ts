import { afterAll, beforeAll, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { apiClient } from "../support/api-client.js";
import { startAppProcess, type AppProcess } from "../support/app-process.js";
import { cspViolations, launchBrowser } from "../support/browser.js";
import { createTestDatabase } from "../support/test-database.js";

let server: AppProcess;
let browser: Browser;
const dir = mkdtempSync(path.join(os.tmpdir(), "review-ui-"));

beforeAll(async () => {
  server = await startAppProcess({ DATABASE_URL: await createTestDatabase() });
  browser = await launchBrowser();
  const api = apiClient(server.url);
  const seeded = await api.uploadCsv(
    "sku,name,description,active\np-1,Product 1,First,yes\np-2,Product 2,Second,yes\np-3,Product 3,Third,no\n",
    "seed.csv",
  );
  await api.waitForImport(seeded.body.id);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const stat = (page: Page, label: string) =>
  page
    .locator(".stat", { has: page.locator(".stat-label", { hasText: new RegExp(`^${label}$`) }) })
    .locator(".stat-value")
    .textContent();

async function catalogNames(page: Page) {
  await page.goto(`${server.url}/products`);
  return page.locator("tbody tr td:nth-child(2)").allTextContents();
}

it("reviews an upload, applies it, undoes it, and the catalog is as it was", async () => {
  const page = await browser.newPage();
  const before = await catalogNames(page);
  const file = path.join(dir, "changes.csv");
  writeFileSync(file, "sku,name,description,active\np-1,Renamed one,First,yes\np-2,Product 2,Second,yes\nn-1,Brand new,Fresh,yes\n");
  await page.goto(`${server.url}/imports`);
  expect(await page.getByLabel("Review the changes before applying them").isChecked(), "reviewing first is the default").toBe(true);
  await page.getByLabel("CSV file").setInputFiles(file);
  await page.getByRole("button", { name: "Upload and review" }).click();
  await page.waitForURL(/\/imports\/\d+$/);
  // The URL changes before the page does (a client-side navigation).
  await expect.poll(() => page.locator("h1 .badge").textContent()).toBe("In review");
  expect(await stat(page, "Created")).toBe("1");
  expect(await stat(page, "Updated")).toBe("1");
  expect(await stat(page, "Unchanged")).toBe("1");
  const change = page.getByRole("row", { name: /p-1/ });
  expect(await change.textContent()).toContain("Name: Product 1 → Renamed one");
  expect(await catalogNames(page)).toEqual(before);

  await page.goBack();
  await page.getByRole("button", { name: "Apply import" }).click();
  await expect.poll(() => page.locator("h1 .badge").textContent(), { timeout: 20_000 }).toBe("Completed");
  expect(await stat(page, "Updated")).toBe("1");
  expect(await stat(page, "Rows in the file")).toBe("3");

  await page.getByRole("link", { name: "Undo this import" }).click();
  const dialog = page.getByRole("dialog");
  await expect.poll(() => dialog.count()).toBe(1);
  expect(await dialog.textContent()).toContain("This removes the 1 products it created and gives the 1 it changed their previous values back");
  await dialog.getByRole("button", { name: "Undo import" }).click();
  await expect.poll(() => page.locator("h1 .badge").textContent(), { timeout: 20_000 }).toBe("Undone");
  expect(await page.getByRole("status").allTextContents()).toEqual(
    expect.arrayContaining([expect.stringMatching(/Import undone: 1 removed, 1 restored/)]),
  );
  expect(await catalogNames(page)).toEqual(before);
  await page.close();
});

it("asks for a confirmation before a sync that takes away more than a fifth of the catalog", async () => {
  const page = await browser.newPage();
  const file = path.join(dir, "sync.csv");
  writeFileSync(file, "sku,name,description,active\np-1,Product 1,First,yes\n");
  await page.goto(`${server.url}/imports`);
  await page.getByLabel("Mode").selectOption("sync");
  await page.getByLabel("CSV file").setInputFiles(file);
  await page.getByRole("button", { name: "Upload and review" }).click();
  await page.waitForURL(/\/imports\/\d+$/);
  await expect.poll(() => page.locator("h1 .badge").textContent()).toBe("In review");
  expect(await page.locator(".warnings").textContent()).toContain("more than a fifth of it: applying it needs a confirmation.");
  const confirm = page.getByLabel(/I understand that this sync deactivates/);
  expect(await confirm.isChecked()).toBe(false);
  await page.getByRole("button", { name: "Discard" }).click();
  await expect.poll(() => page.locator("h1 .badge").textContent()).toBe("Cancelled");
  await page.close();
});

it("remembers, in this browser, to apply straight away", async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}/imports`);
  await page.getByLabel("Review the changes before applying them").uncheck();
  await page.reload();
  await expect.poll(() => page.getByLabel("Review the changes before applying them").isChecked()).toBe(false);
  expect(await page.getByRole("button", { name: "Upload and import" }).count()).toBe(1);
  await page.close();
});

it("fits a 390 px phone: the review page does not scroll sideways", async () => {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  const api = apiClient(server.url);
  const form = new FormData();
  form.append("review", "1");
  form.append("file", new Blob(["sku,name,description\np-2,A much longer name for the second product than before,Changed\n"]), "phone.csv");
  const { id } = (await (await fetch(`${server.url}/api/imports`, { method: "POST", body: form })).json()) as { id: string };
  await page.goto(`${server.url}/imports/${id}`);
  expect(await page.locator("h1 .badge").textContent()).toBe("In review");
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await api.api.imports.discard.mutate({ id });
  await page.close();
});

it("pages the rejected rows, not the undo dialog, from under that dialog shown before JavaScript loads", async () => {
  const api = apiClient(server.url);
  // One row to undo and 60 the import rejects (no name): two pages of rejected rows.
  const nameless = Array.from({ length: 60 }, (_, i) => `nameless-${i},,No name,yes`);
  const { body } = await api.uploadCsv(`sku,name,description,active\nu-1,Undo me,Fine,yes\n${nameless.join("\n")}\n`, "with-rejects.csv");
  expect((await api.waitForImport(body.id)).errorCount).toBe(60);
  const context = await browser.newContext({ javaScriptEnabled: false });
  const plain = await context.newPage();
  await plain.goto(`${server.url}/imports/${body.id}/undo`);
  expect(await plain.locator("dialog[open] h2").textContent()).toBe("Undo the import of with-rejects.csv?");
  await plain.getByRole("link", { name: "Next →" }).click();
  await plain.waitForURL((url) => url.pathname === `/imports/${body.id}`);
  expect(new URL(plain.url()).search).toBe("?errorsPage=2");
  expect(await plain.locator("dialog[open]").count()).toBe(0);
  await context.close();
});

it("runs under the Content-Security-Policy without a single refusal", () => {
  expect(cspViolations(browser)).toEqual([]);
});
