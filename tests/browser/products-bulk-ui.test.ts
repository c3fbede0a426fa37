import { afterAll, beforeAll, expect, it } from "vitest";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { apiClient, type ApiClient } from "../support/api-client.js";
import { startAppProcess, type AppProcess } from "../support/app-process.js";
import { createTestDatabase } from "../support/test-database.js";
import { holdCatalogLock } from "../support/catalog-lock.js";
import { cspViolations, launchBrowser } from "../support/browser.js";

let server: AppProcess;
let api: ApiClient;
let browser: Browser;
let page: Page;
let seedImportId: string;
let databaseUrl: string;

// SKU-key order puts wc-item-10 before wc-item-2; the sort compares the numbers as numbers.
const SKUS = Array.from({ length: 12 }, (_, i) => `wc-item-${i + 1}`);

beforeAll(async () => {
  databaseUrl = await createTestDatabase();
  server = await startAppProcess({ DATABASE_URL: databaseUrl });
  api = apiClient(server.url);
  const hats = Array.from({ length: 60 }, (_, i) => `hat-${String(i).padStart(2, "0")},Wool hat ${i},Warm,yes`);
  const items = SKUS.map((sku, i) => `${sku},Item ${String.fromCharCode(97 + ((i * 5) % 12))},Plain,yes`);
  const { body } = await api.uploadCsv(`sku,name,description,active\n${[...items, ...hats].join("\n")}\n`, "spring-catalog.csv");
  seedImportId = body.id;
  expect((await api.waitForImport(seedImportId)).status).toBe("completed");
  browser = await launchBrowser();
  page = await browser.newPage();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const total = () => page.locator(".total").textContent();
const dialog = () => page.getByRole("dialog");
const skus = () => page.locator("table.products td.sku").allTextContents();
const toast = () => page.getByRole("status").textContent();

it("sorts by clicking a header, in the URL (Back returns to the previous order)", async () => {
  await page.goto(`${server.url}/products?sku=wc-item`);
  expect((await skus()).slice(0, 4)).toEqual(["wc-item-1", "wc-item-10", "wc-item-11", "wc-item-12"]);
  await page.getByRole("link", { name: "SKU, sort ascending" }).click();
  await expect.poll(() => page.url()).toContain("sort=sku&order=asc");
  await expect.poll(async () => (await skus()).slice(0, 4)).toEqual(["wc-item-1", "wc-item-2", "wc-item-3", "wc-item-4"]);
  expect(await page.locator("th[aria-sort=ascending]").textContent()).toContain("SKU");
  await page.getByRole("link", { name: "SKU, sort descending" }).click();
  await expect.poll(async () => (await skus()).slice(0, 3)).toEqual(["wc-item-12", "wc-item-11", "wc-item-10"]);
  expect(await page.getByLabel("Sort by").inputValue()).toBe("sku");
  expect(await page.getByLabel("Order", { exact: true }).inputValue()).toBe("desc");
  await page.goBack();
  await expect.poll(async () => (await skus()).slice(0, 2)).toEqual(["wc-item-1", "wc-item-2"]);
  // The filter form's own sort control (the one a phone has) says the same and changes it.
  await page.getByLabel("Sort by").selectOption("name");
  await expect.poll(() => page.url()).toContain("sort=name");
  await expect.poll(async () => (await page.locator("table.products td.name").allTextContents()).slice(0, 2)).toEqual(["Item a", "Item b"]);
});

it("says what last changed each product: the import, linked by its file name, then an edit", async () => {
  await page.goto(`${server.url}/products?sku=wc-item-1&sort=sku`);
  const row = page.locator("table.products tbody tr").first();
  const link = row.getByRole("link", { name: "spring-catalog.csv" });
  expect(await row.locator(".last-change").textContent()).toMatch(/^Import spring-catalog\.csv/);
  expect(await link.getAttribute("href")).toBe(`/imports/${seedImportId}`);
  await page.getByRole("link", { name: "Edit wc-item-1", exact: true }).click();
  expect(await dialog().locator(".dialog-note").textContent()).toContain("Last change: Import spring-catalog.csv");
  await dialog().getByLabel("Name").fill("Item renamed");
  await dialog().getByRole("button", { name: "Save changes" }).click();
  await expect.poll(toast).toContain("Saved wc-item-1.");
  await expect.poll(() => row.locator(".last-change").textContent()).toMatch(/^Edited /);
});

it("selects three rows (click, then Shift+click) and deactivates them after a confirmation naming the count", async () => {
  await page.goto(`${server.url}/products?sku=wc-item&sort=sku`);
  await page.getByLabel("Select wc-item-2", { exact: true }).click();
  await page.getByLabel("Select wc-item-4", { exact: true }).click({ modifiers: ["Shift"] });
  expect(await page.locator(".selection-status").textContent()).toContain("3 selected");
  await page.getByRole("button", { name: "Deactivate…" }).click();
  expect(await dialog().getByRole("heading").textContent()).toBe("Deactivate 3 products?");
  await dialog().getByRole("button", { name: "Deactivate 3 products" }).click();
  await expect.poll(toast).toContain("Deactivated 3 products.");
  expect(await page.locator(".selection-status").textContent()).toContain("None selected");
  for (const sku of ["wc-item-2", "wc-item-3", "wc-item-4"]) {
    expect(await page.getByRole("switch", { name: `${sku} active` }).getAttribute("aria-checked")).toBe("false");
  }
  expect(await page.getByRole("switch", { name: "wc-item-5 active" }).getAttribute("aria-checked")).toBe("true");
  const changed = await api.api.products.list.query({ sku: "wc-item-3" });
  expect(changed.items[0]!.lastChange.kind).toBe("bulk");
});

it("keeps the rows ticked when the action is refused, to try again, and clears them once it is done", { timeout: 60_000 }, async () => {
  await page.goto(`${server.url}/products?sku=wc-item&sort=sku`);
  await page.getByLabel("Select wc-item-6", { exact: true }).click();
  await page.getByLabel("Select wc-item-7", { exact: true }).click();
  // An import being applied holds the catalog longer than a bulk action waits for it (15 s).
  const importApplying = await holdCatalogLock(databaseUrl);
  try {
    await page.getByRole("button", { name: "Deactivate…" }).click();
    await dialog().getByRole("button", { name: "Deactivate 2 products" }).click();
    await expect.poll(toast, { timeout: 30_000 }).toContain("The catalog is busy");
    expect(await page.locator(".selection-status").textContent()).toContain("2 selected");
    expect(await page.getByRole("switch", { name: "wc-item-6 active" }).getAttribute("aria-checked")).toBe("true");
  } finally {
    await importApplying.release();
  }
  await page.getByRole("button", { name: "Deactivate…" }).click();
  await dialog().getByRole("button", { name: "Deactivate 2 products" }).click();
  await expect.poll(toast).toContain("Deactivated 2 products.");
  expect(await page.locator(".selection-status").textContent()).toContain("None selected");
  expect(await page.getByRole("switch", { name: "wc-item-6 active" }).getAttribute("aria-checked")).toBe("false");
  // The tests below expect these two active.
  const changed = await api.api.products.list.query({ sku: "wc-item-", active: false, sort: "sku" });
  const ids = changed.items.filter((item) => ["wc-item-6", "wc-item-7"].includes(item.sku)).map((item) => item.id);
  await api.api.products.bulkUpdate.mutate({ ids, set: { active: true } });
});

it("works from the keyboard: / focuses the filter, Enter applies it, Space and Shift+Space select", async () => {
  await page.goto(`${server.url}/products?sort=sku`);
  await page.locator("body").click({ position: { x: 5, y: 5 } });
  await page.keyboard.press("/");
  expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).name)).toBe("sku");
  await page.keyboard.type("wc-item-1");
  await page.keyboard.press("Enter");
  await expect.poll(() => page.url(), { timeout: 250, interval: 25 }).toContain("sku=wc-item-1");
  await expect.poll(total).toBe("4 of 72 products match");
  await page.getByLabel("Select wc-item-1", { exact: true }).focus();
  await page.keyboard.press("Space");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Shift+Space");
  expect(await page.locator(".selection-status").textContent()).toContain("3 selected");
  expect(await page.getByLabel("Select wc-item-12", { exact: true }).isChecked()).toBe(false);
  await page.keyboard.press("Escape");
});

it("asks for DELETE to be typed before deleting every product, and says to select first when nothing is", async () => {
  await page.goto(`${server.url}/products?size=25`);
  await page.getByRole("button", { name: "Deactivate…" }).click();
  expect(await dialog().getByRole("heading").textContent()).toBe("Nothing selected");
  await page.keyboard.press("Escape");
  await expect.poll(() => dialog().count()).toBe(0);
  // Focus goes back to the button that opened the dialog.
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Deactivate…");

  await page.getByLabel("Select page").check();
  await page.getByRole("button", { name: /^Select all \d+ matching$/ }).click();
  await page.getByRole("button", { name: "Delete…" }).click();
  await expect.poll(() => page.url()).toContain("/products/delete-all");
  expect(await dialog().getByRole("heading").textContent()).toBe("Delete all products?");
  await page.keyboard.press("Escape");

  // A page past the end (a shared link, or the last page emptied by a delete) shows the last one there is.
  await page.goto(`${server.url}/products?size=25&page=99`);
  await expect.poll(() => page.url()).toMatch(/[?&]page=3(&|$)/);
  expect(await page.getByText("Page 3 of 3").count()).toBe(1);

  // Ids that are not ids, or repeated, are not counted.
  await page.goto(`${server.url}/products/bulk?intent=delete&id=abc&id=-1`);
  expect(await dialog().getByRole("heading").textContent()).toBe("Nothing selected");
});

it("pages the list, not the dialog, from under a bulk dialog shown before JavaScript loads", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const plain = await context.newPage();
  const [first] = (await api.api.products.list.query({ sku: "hat" })).items;
  await plain.goto(`${server.url}/products/bulk?sku=hat&size=25&intent=deactivate&id=${first!.id}`);
  expect(await plain.locator("dialog[open] h2").textContent()).toBe("Deactivate 1 product?");
  // The dialog is not modal without scripts: the list around it stays usable, and leads to the list.
  await plain.getByRole("link", { name: "Next →" }).click();
  await plain.waitForURL((url) => url.pathname === "/products");
  expect(new URL(plain.url()).search).toBe("?sku=hat&size=25&page=2");
  expect(await plain.locator("dialog[open]").count()).toBe(0);
  await plain.goto(`${server.url}/products/bulk?sku=hat&size=25&intent=deactivate&id=${first!.id}`);
  expect(await plain.getByRole("link", { name: "Add product" }).getAttribute("href")).toBe("/products/new?sku=hat&size=25");
  await plain.getByLabel("Per page").selectOption("50");
  await plain.getByRole("button", { name: "Show" }).click();
  await plain.waitForURL((url) => url.pathname === "/products");
  expect(new URL(plain.url()).search).toBe("?sku=hat&size=50");
  await context.close();
});

it("selects every product matching the filters, beyond the page, and deletes them", async () => {
  await page.goto(`${server.url}/products?sku=hat&size=25`);
  expect(await total()).toBe("60 of 72 products match");
  await page.getByLabel("Select page").check();
  expect(await page.locator(".selection-status").textContent()).toContain("25 selected");
  await page.getByRole("button", { name: "Select all 60 matching" }).click();
  expect(await page.locator(".selection-status").textContent()).toContain("All 60 matching selected");
  await page.getByRole("button", { name: "Delete…" }).click();
  expect(await dialog().getByRole("heading").textContent()).toBe("Delete 60 products?");
  // Escape closes a dialog once it is shown modally (after hydration), not while it is still the server's markup.
  await expect.poll(() => dialog().evaluate((element) => element.matches(":modal"))).toBe(true);
  await page.keyboard.press("Escape");
  await expect.poll(() => dialog().count()).toBe(0);
  expect(await page.locator(".selection-status").textContent()).toContain("All 60 matching selected");
  await page.getByRole("button", { name: "Delete…" }).click();
  await dialog().getByRole("button", { name: "Delete 60 products" }).click();
  await expect.poll(toast).toContain("Deleted 60 products.");
  expect(await total()).toBe("0 of 12 products match");
  expect((await api.api.products.list.query({})).total).toBe(12);
});

it("opens the dialog again when asked while the one just closed is still going back to the list", async () => {
  await page.goto(`${server.url}/products?sku=wc-item&size=25`);
  await page.getByLabel("Select wc-item-3", { exact: true }).check();
  await page.getByRole("button", { name: "Deactivate…" }).click();
  await expect.poll(() => dialog().evaluate((element) => element.matches(":modal"))).toBe(true);
  // Hold the list's data so the way back is still under way when the button is pressed again.
  let releaseList = () => {};
  const listHeld = new Promise<void>((resolve) => (releaseList = resolve));
  await page.route(
    (url) => url.pathname === "/products.data",
    async (route) => {
      await listHeld;
      await route.continue();
    },
  );
  await page.keyboard.press("Escape");
  await page.getByRole("button", { name: "Deactivate…" }).click();
  await expect.poll(() => dialog().getByRole("heading").textContent()).toBe("Deactivate 1 product?");
  await expect.poll(() => dialog().evaluate((element) => element.matches(":modal"))).toBe(true);
  // The held request was given up when the dialog opened again; nothing is left to answer it.
  await page.unrouteAll({ behavior: "ignoreErrors" });
  releaseList();
  await page.keyboard.press("Escape");
  await expect.poll(() => dialog().count()).toBe(0);
});

it("acts on ticked rows before JavaScript loads: the dialog is a page of its own and the form posts", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const plain = await context.newPage();
  await plain.goto(`${server.url}/products?sku=wc-item&sort=sku`);
  await plain.getByLabel("Select wc-item-5", { exact: true }).check();
  await plain.getByLabel("Select wc-item-6", { exact: true }).check();
  await plain.getByRole("button", { name: "Activate…", exact: true }).click();
  await plain.waitForURL(/\/products\/bulk\?/);
  expect(await plain.locator("dialog[open] h2").textContent()).toBe("Activate 2 products?");
  await plain.getByRole("button", { name: "Activate 2 products" }).click();
  await plain.waitForURL((url) => url.pathname === "/products");
  expect(await plain.getByRole("status").textContent()).toContain("Activated 0 products. 2 were already active.");
  expect(new URL(plain.url()).search).toBe("?sku=wc-item&sort=sku");
  await context.close();
});

it.runIf(process.env.UPDATE_SCREENSHOTS === "1")("photographs the page with a selection for the README (docs/images/products.png)", async () => {
  const wide = await browser.newPage({ viewport: { width: 1280, height: 820 } });
  await wide.goto(`${server.url}/products?sku=wc-item&sort=sku`);
  await wide.getByLabel("Select wc-item-6", { exact: true }).click();
  await wide.getByLabel("Select wc-item-8", { exact: true }).click({ modifiers: ["Shift"] });
  await wide.screenshot({ path: path.resolve(import.meta.dirname, "../../docs/images/products.png") });
  await wide.close();
});

it("runs under the Content-Security-Policy without a single refusal", () => {
  expect(cspViolations(browser)).toEqual([]);
});
