import { afterAll, beforeAll, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { apiClient, type ApiClient } from "../support/api-client.js";
import { startAppProcess, type AppProcess } from "../support/app-process.js";
import { cspViolations, launchBrowser } from "../support/browser.js";
import { createTestDatabase } from "../support/test-database.js";

/**
 * The bulk toolbar's "Set a field…", "Add tags…" and "Remove tags…": for ticked products or every
 * product a filter matches, confirmed with the count, said in a toast; a value that does not read
 * is said in the dialog.
 */

let server: AppProcess;
let api: ApiClient;
let browser: Browser;
let page: Page;

/** 30 hats by Northwind (more than a page of 25) and 6 caps by Acme, some tagged. */
const HATS = Array.from({ length: 30 }, (_, i) => `hat-${String(i).padStart(2, "0")},Wool hat ${i},Northwind,${10 + i},${i % 2 ? "Winter" : ""}`);
const CAPS = Array.from({ length: 6 }, (_, i) => `cap-${i},Cap ${i},Acme,8,`);

beforeAll(async () => {
  server = await startAppProcess({ DATABASE_URL: await createTestDatabase() });
  api = apiClient(server.url);
  const { body } = await api.uploadCsv(`sku,name,brand,price,tags\n${[...HATS, ...CAPS].join("\n")}\n`, "hats.csv");
  expect((await api.waitForImport(body.id)).status).toBe("completed");
  browser = await launchBrowser();
  page = await browser.newPage();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const dialog = (on: Page = page) => on.getByRole("dialog");
const toast = (on: Page = page) => on.getByRole("status").textContent();
const tagsOf = (on: Page, sku: string) =>
  on
    .locator("table.products tr", { has: on.getByText(sku, { exact: true }) })
    .locator("td.col-tags")
    .textContent();
const stored = async (sku: string) => (await api.api.products.list.query({ sku })).items.find((item) => item.sku === sku)!;

it("ticks two products and adds tags to them, seen on their rows; a tag one has already is not added twice", async () => {
  await page.goto(`${server.url}/products?sku=hat-0&sort=sku&columns=tags`);
  await page.getByLabel("Select hat-00", { exact: true }).click();
  await page.getByLabel("Select hat-01", { exact: true }).click();
  await page.getByRole("button", { name: "Add tags…" }).click();
  expect(await dialog().getByRole("heading").textContent()).toBe("Add tags to 2 products");
  await dialog().getByLabel("Tags to add").fill("sale, winter ,  ");
  await dialog().getByRole("button", { name: "Add to 2 products" }).click();
  await expect.poll(() => toast()).toContain("Added tags to 2 products.");
  expect(await tagsOf(page, "hat-00")).toBe("sale, winter");
  expect(await tagsOf(page, "hat-01")).toBe("Winter, sale");
  expect(await tagsOf(page, "hat-02")).toBe("—");
  expect(await page.locator(".selection-status").textContent()).toContain("None selected");
  expect(new URL(page.url()).searchParams.get("columns")).toBe("tags");
  expect((await stored("hat-01")).lastChange.kind).toBe("bulk");

  // And takes them off again, whatever their case; one of the two had neither.
  await page.getByLabel("Select hat-00", { exact: true }).click();
  await page.getByLabel("Select hat-02", { exact: true }).click();
  await page.getByRole("button", { name: "Remove tags…" }).click();
  await dialog().getByLabel("Tags to remove").fill("SALE, Winter");
  await dialog().getByRole("button", { name: "Remove from 2 products" }).click();
  await expect.poll(() => toast()).toContain("Removed tags from 1 product. 1 had none of those tags.");
  expect(await tagsOf(page, "hat-00")).toBe("—");
});

it("says in the dialog why a value does not read, keeping it and the ticked rows, then sets it", async () => {
  await page.goto(`${server.url}/products?sku=cap&sort=sku`);
  await page.getByLabel("Select cap-1", { exact: true }).click();
  await page.getByRole("button", { name: "Set a field…" }).click();
  expect(await dialog().getByRole("heading").textContent()).toBe("Set a field on 1 product");
  await dialog().getByLabel("Field").selectOption({ label: "Stock" });
  const value = dialog().getByLabel("Value");
  await value.fill("lots");
  await dialog().getByRole("button", { name: "Set on 1 product" }).click();
  await expect.poll(() => value.getAttribute("aria-invalid")).toBe("true");
  expect(await dialog().locator(".field-error").textContent()).toBe('stock "lots" is not a number');
  expect(await value.inputValue()).toBe("lots");
  expect(await dialog().getByLabel("Field").inputValue()).toBe("stock");
  expect((await stored("cap-1")).stock).toBeNull();
  // Closed, the row is still ticked, to try again.
  await expect.poll(() => dialog().evaluate((element) => element.matches(":modal"))).toBe(true);
  await page.keyboard.press("Escape");
  await expect.poll(() => dialog().count()).toBe(0);
  expect(await page.locator(".selection-status").textContent()).toContain("1 selected");

  await page.getByRole("button", { name: "Set a field…" }).click();
  await dialog().getByLabel("Field").selectOption({ label: "Stock" });
  await value.fill("1,200");
  await dialog().getByRole("button", { name: "Set on 1 product" }).click();
  await expect.poll(() => toast()).toContain("Set stock on 1 product.");
  expect((await stored("cap-1")).stock).toBe(1200);
  expect((await stored("cap-2")).stock).toBeNull();
  expect(await page.locator(".selection-status").textContent()).toContain("None selected");
});

it("sets a price on every product the filter matches, beyond the page, and nothing else", async () => {
  await page.goto(`${server.url}/products?brand=northwind&size=25`);
  await page.getByLabel("Select page").check();
  await page.getByRole("button", { name: "Select all 30 matching" }).click();
  await page.getByRole("button", { name: "Set a field…" }).click();
  expect(await dialog().getByRole("heading").textContent()).toBe("Set a field on 30 products");
  expect(await dialog().textContent()).toContain("Every product matching the current filters.");
  await dialog().getByLabel("Field").selectOption({ label: "Price" });
  await dialog().getByLabel("Value").fill("19,90");
  await dialog().getByRole("button", { name: "Set on 30 products" }).click();
  await expect.poll(() => toast()).toContain("Set price on 30 products.");
  const hats = await api.api.products.list.query({ sku: "hat", pageSize: 50 });
  expect(new Set(hats.items.map((item) => item.price))).toEqual(new Set(["19.90"]));
  const caps = await api.api.products.list.query({ sku: "cap", pageSize: 50 });
  expect(new Set(caps.items.map((item) => item.price))).toEqual(new Set(["8.00"]));
  expect(await page.locator("table.products td.price").first().textContent()).toBe("$19.90");
});

it("adds tags before JavaScript loads: the dialog is a page of its own, and a refusal shows on it", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const plain = await context.newPage();
  await plain.goto(`${server.url}/products?sku=cap&sort=sku&columns=tags`);
  await plain.getByLabel("Select cap-3", { exact: true }).check();
  await plain.getByLabel("Select cap-4", { exact: true }).check();
  await plain.getByRole("button", { name: "Add tags…" }).click();
  await plain.waitForURL(/\/products\/bulk\?/);
  expect(await plain.locator("dialog[open] h2").textContent()).toBe("Add tags to 2 products");
  await plain.getByRole("button", { name: "Add to 2 products" }).click();
  expect(await plain.locator("dialog[open] .field-error").textContent()).toBe("Type at least one tag.");
  await plain.getByLabel("Tags to add").fill("clearance");
  await plain.getByRole("button", { name: "Add to 2 products" }).click();
  await plain.waitForURL((url) => url.pathname === "/products");
  expect(await plain.getByRole("status").textContent()).toBe("Added tags to 2 products.");
  expect(new URL(plain.url()).search).toBe("?sku=cap&sort=sku&columns=tags");
  expect(await tagsOf(plain, "cap-3")).toBe("clearance");
  expect(await tagsOf(plain, "cap-5")).toBe("—");
  await context.close();
});

it("fits the set-a-field dialog on a 390 px phone", async () => {
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await phone.goto(`${server.url}/products?sku=cap&sort=sku`);
  await phone.getByLabel("Select cap-0", { exact: true }).click();
  await phone.getByRole("button", { name: "Set a field…" }).click();
  await expect.poll(() => dialog(phone).evaluate((element) => element.matches(":modal"))).toBe(true);
  const box = await dialog(phone).boundingBox();
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(390);
  expect(await dialog(phone).evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true);
  expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBe(390);
  await phone.close();
});

it("runs under the Content-Security-Policy without a single refusal", () => {
  expect(cspViolations(browser)).toEqual([]);
});
