import { afterAll, beforeAll, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { apiClient } from "../support/api-client.js";
import { startAppProcess, type AppProcess } from "../support/app-process.js";
import { createTestDatabase } from "../support/test-database.js";
import { launchBrowser } from "../support/browser.js";

let server: AppProcess;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  server = await startAppProcess({ DATABASE_URL: await createTestDatabase(), CURRENCY: "eur" });
  const form = new FormData();
  const file = [
    "sku;name;Preis;Bestand;Tags",
    "cap-1;Wool cap;12,50;7;winter, wool",
    "scarf-1;Silk scarf;;;",
    "boot-1;Rain boot;15;0;winter, leather",
    "glove-1;Leather glove;30;4;Winter",
    "belt-1;Belt;18;2;leather",
  ].join("\n");
  form.append("file", new Blob([file]), "seed.csv");
  const { id } = (await (await fetch(`${server.url}/api/imports`, { method: "POST", body: form })).json()) as { id: string };
  await apiClient(server.url).waitForImport(id, (item) => item.status === "completed");
  browser = await launchBrowser();
  page = await browser.newPage();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const dialog = () => page.getByRole("dialog");
const row = (sku: string) => page.locator("table.products tr", { has: page.getByText(sku, { exact: true }) });

it("lists each product's price in the catalog's currency and its stock", async () => {
  await page.goto(`${server.url}/products`);
  expect(await row("cap-1").locator("td.price").textContent()).toBe("€12.50");
  expect(await row("cap-1").locator("td.stock").textContent()).toBe("7");
  expect(await row("scarf-1").locator("td.price").textContent()).toBe("—");
});

it("filters by a price range and a tag, from the URL-backed form", async () => {
  await page.goto(`${server.url}/products`);
  const total = () => page.locator(".total").textContent();
  expect(await total()).toBe("5 products");
  const filters = page.locator("form.filters");
  await filters.getByLabel("Price from (EUR)").fill("10");
  await filters.getByLabel("Price to (EUR)").fill("20,00");
  await expect.poll(() => total()).toBe("3 of 5 products match");
  await filters.getByLabel("Tag").fill("WINTER");
  await expect.poll(() => total()).toBe("2 of 5 products match");
  expect(new URL(page.url()).searchParams.get("tag")).toBe("WINTER");
  const skus = await page.locator("table.products td.sku").allTextContents();
  expect(skus.sort()).toEqual(["boot-1", "cap-1"]);
  await filters.getByLabel("Stock", { exact: true }).selectOption("out");
  await expect.poll(() => total()).toBe("1 of 5 products match");
  expect(await page.locator("table.products td.sku").allTextContents()).toEqual(["boot-1"]);
});

it("edits a product's price: a value that is no price is shown on its field and nothing is saved, a good one is", async () => {
  await page.goto(`${server.url}/products`);
  await page.getByRole("link", { name: "Edit cap-1" }).click();
  const price = dialog().getByLabel("Price (EUR)", { exact: true });
  expect(await price.inputValue()).toBe("12.50");
  expect(await dialog().getByLabel("Tags, separated by commas").inputValue()).toBe("winter, wool");
  await price.fill("12.50 €/Stk");
  await dialog().getByRole("button", { name: "Save changes" }).click();
  await expect.poll(() => price.getAttribute("aria-invalid")).toBe("true");
  expect(await dialog().textContent()).toContain('price "12.50 €/Stk" is not a number');
  expect((await apiClient(server.url).api.products.list.query({ sku: "cap-1" })).items[0]!.price).toBe("12.50");

  await price.fill("9,90");
  await dialog().getByLabel("Stock").fill("-2");
  await dialog().getByRole("button", { name: "Save changes" }).click();
  await expect.poll(() => page.getByRole("status").textContent()).toContain("Saved cap-1.");
  expect(await row("cap-1").locator("td.price").textContent()).toBe("€9.90");
  expect(await row("cap-1").locator("td.stock").textContent()).toBe("-2");
  const [saved] = (await apiClient(server.url).api.products.list.query({ sku: "cap-1" })).items;
  expect(saved).toMatchObject({ price: "9.90", stock: -2, tags: ["winter", "wool"] });
});

it("shows price and stock on a 390 px phone's product card", async () => {
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
  try {
    await phone.goto(`${server.url}/products`);
    const card = phone.locator("table.products tr", { has: phone.getByText("scarf-1", { exact: true }) });
    expect(await card.locator("td.price").isVisible()).toBe(true);
    expect(await card.locator("td.stock").isVisible()).toBe(true);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  } finally {
    await phone.close();
  }
});
