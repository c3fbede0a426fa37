import { afterAll, beforeAll, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { apiClient } from "../support/api-client.js";
import { startAppProcess, type AppProcess } from "../support/app-process.js";
import { cspViolations, launchBrowser } from "../support/browser.js";
import { createTestDatabase } from "../support/test-database.js";

/**
 * The products page's column chooser: price, stock and the last change by default, the other
 * fields on request, the choice kept in the URL (`?columns=…`) through sorting, paging and links,
 * before JavaScript loads too, and still within a 390 px phone.
 */

let server: AppProcess;
let browser: Browser;
let page: Page;

const BRANDS = ["Northwind", "Acme", "Zephyr", "Bolt"];
/** 30 products: two pages of 25. */
const PRODUCTS = Array.from({ length: 30 }, (_, i) => ({
  sku: `col-${String(i).padStart(2, "0")}`,
  brand: BRANDS[i % BRANDS.length]!,
  category: i % 2 ? "Apparel > Shirts" : "Home",
  tags: i % 3 ? `summer, cotton-${i}` : "",
  barcode: `40063813339${String(i).padStart(2, "0")}`,
}));

beforeAll(async () => {
  server = await startAppProcess({ DATABASE_URL: await createTestDatabase() });
  const rows = PRODUCTS.map((p, i) => `${p.sku},Product ${i},${p.brand},${p.category},"${p.tags}",${p.barcode},${10 + i}.50,${i}`);
  const form = new FormData();
  form.append("file", new Blob([`sku,name,brand,category,tags,barcode,price,stock\n${rows.join("\n")}\n`]), "columns.csv");
  const { id } = (await (await fetch(`${server.url}/api/imports`, { method: "POST", body: form })).json()) as { id: string };
  await apiClient(server.url).waitForImport(id, (item) => item.status === "completed");
  browser = await launchBrowser();
  page = await browser.newPage();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const headers = (on: Page = page) => on.locator("table.products thead th").allTextContents();
const columnsParam = (on: Page = page) => new URL(on.url()).searchParams.get("columns");
const chooser = (on: Page = page) => on.locator("details.column-chooser");

it("shows price, stock and the last change by default, and the columns chosen, kept through a sort and a page change", async () => {
  await page.goto(`${server.url}/products?size=25`);
  expect((await headers()).map((text) => text.replace(/[↕▲▼]/g, ""))).toEqual([
    "Selected",
    "SKU",
    "Name",
    "Price",
    "Stock",
    "Description",
    "Active",
    "Last change",
    "Actions",
  ]);
  await chooser().locator("summary").click();
  await chooser().getByLabel("Brand").check();
  await expect.poll(() => columnsParam()).toBe("price,stock,brand,updated");
  await chooser().getByLabel("Stock").uncheck();
  await expect.poll(() => columnsParam()).toBe("price,brand,updated");
  await expect.poll(() => page.locator("table.products th", { hasText: "Brand" }).count()).toBe(1);
  await expect.poll(() => page.locator("table.products th", { hasText: "Stock" }).count()).toBe(0);

  // Sorted by its header: the brands in order on the page, the choice still in the URL.
  await page.getByRole("link", { name: "Brand, sort ascending" }).click();
  await expect.poll(() => new URL(page.url()).searchParams.get("sort")).toBe("brand");
  expect(columnsParam()).toBe("price,brand,updated");
  const sorted = PRODUCTS.map((p) => p.brand).sort((a, b) => a.localeCompare(b));
  await expect.poll(() => page.locator("table.products td.col-brand").allTextContents()).toEqual(sorted.slice(0, 25));

  await page.getByRole("link", { name: "Next →" }).click();
  await expect.poll(() => new URL(page.url()).searchParams.get("page")).toBe("2");
  expect(columnsParam()).toBe("price,brand,updated");
  expect(await page.locator("table.products td.col-brand").allTextContents()).toEqual(sorted.slice(25));
  expect(await page.locator("table.products td.stock").count()).toBe(0);

  // A dialog's link, and the way back from it, keep the choice too.
  const edit = page.getByRole("link", { name: /^Edit col-/ }).first();
  expect(new URL(`${server.url}${await edit.getAttribute("href")}`).searchParams.get("columns")).toBe("price,brand,updated");
  await edit.click();
  await page.keyboard.press("Escape");
  await expect.poll(() => new URL(page.url()).pathname).toBe("/products");
  expect(columnsParam()).toBe("price,brand,updated");
});

it("reads a shared link's choice, leaving out names it does not know, and shows each field's values", async () => {
  await page.goto(`${server.url}/products?sku=col-04&columns=barcode,colour,tags,category,compareAtPrice,weightGrams`);
  // Written back as the list declares its columns; the unknown name is gone.
  await expect.poll(() => columnsParam()).toBe("compareAtPrice,barcode,weightGrams,category,tags");
  const row = page.locator("table.products tbody tr").first();
  const cell = (name: string) => row.locator(`td.col-${name}`).textContent();
  const p = PRODUCTS[4]!;
  expect(await cell("barcode")).toBe(p.barcode);
  expect(await cell("category")).toBe(p.category);
  expect(await cell("tags")).toBe(p.tags);
  expect(await cell("compare-at-price")).toBe("—");
  expect(await page.locator("table.products td.price").count()).toBe(0);
  expect(await page.locator("table.products .last-change").count()).toBe(0);
  // None at all is a choice too, not the default.
  await page.goto(`${server.url}/products?sku=col-04&columns=`);
  expect((await headers()).map((text) => text.replace(/[↕▲▼]/g, ""))).toEqual(["Selected", "SKU", "Name", "Description", "Active", "Actions"]);
});

it("applies the ticked boxes before JavaScript loads", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const plain = await context.newPage();
  await plain.goto(`${server.url}/products?sku=col-0&sort=sku`);
  await chooser(plain).locator("summary").click();
  await chooser(plain).getByLabel("Tags").check();
  await chooser(plain).getByLabel("Last change").uncheck();
  await chooser(plain).getByRole("button", { name: "Apply" }).click();
  await plain.waitForURL((url) => url.searchParams.has("columns"));
  expect(new URL(plain.url()).search).toBe("?sku=col-0&sort=sku&columns=price,stock,tags");
  expect(await plain.locator("table.products td.col-tags").first().textContent()).toBe(PRODUCTS[0]!.tags || "—");
  expect(await plain.locator("table.products .last-change").count()).toBe(0);
  await context.close();
});

it("fits a 390 px phone with every column shown", async () => {
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
  const every = "price,compareAtPrice,stock,barcode,weightGrams,brand,category,tags,updated";
  await phone.goto(`${server.url}/products?columns=${every}`);
  await chooser(phone).locator("summary").click();
  const overflow = await phone.evaluate(() => ({
    pageWidth: document.documentElement.scrollWidth,
    // Every visible box of the chooser and the cards, the visually-hidden pattern aside.
    past: [...document.querySelectorAll(".column-chooser *, table.products *")]
      .filter((element) => element.checkVisibility() && getComputedStyle(element).clip !== "rect(0px, 0px, 0px, 0px)")
      .filter((element) => element.getBoundingClientRect().right > 390.5)
      .map((element) => `${element.tagName.toLowerCase()}.${element.className}`),
  }));
  expect(overflow).toEqual({ pageWidth: 390, past: [] });
  const card = phone.locator("table.products tbody tr").first();
  expect(await card.locator("td.col-brand").evaluate((cell) => getComputedStyle(cell, "::before").content)).toBe('"Brand"');
  await phone.close();
});

it("runs under the Content-Security-Policy without a single refusal", () => {
  expect(cspViolations(browser)).toEqual([]);
});
