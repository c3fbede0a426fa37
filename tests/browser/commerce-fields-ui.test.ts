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
  const file = "sku;name;Preis;Bestand;Tags\ncap-1;Wool cap;12,50;7;winter, wool\nscarf-1;Silk scarf;;;\n";
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
