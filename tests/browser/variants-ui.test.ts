import { afterAll, beforeAll, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { apiClient } from "../support/api-client.js";
import { startAppProcess, type AppProcess } from "../support/app-process.js";
import { createTestDatabase } from "../support/test-database.js";
import { launchBrowser } from "../support/browser.js";

/** Variants and images in the pages: the product dialog's group, options and images, the export menu, an import's warnings. */

let server: AppProcess;
let browser: Browser;
let page: Page;

const IMAGE = "https://cdn.example.com/tee/navy-front.jpg";

beforeAll(async () => {
  server = await startAppProcess({ DATABASE_URL: await createTestDatabase() });
  const form = new FormData();
  const file = [
    "sku,name,handle,option1 name,option1 value,images",
    `tee-s,Tee,tee,Size,S,${IMAGE}`,
    "tee-m,Tee,tee,Size,M,ftp://cdn.example.com/tee/m.jpg",
  ].join("\n");
  form.append("file", new Blob([file]), "tees.csv");
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

it("shows a product's main image as a thumbnail beside its name, loaded lazily and without a referrer", async () => {
  await page.goto(`${server.url}/products?sort=sku`);
  const thumb = page.locator("table.products tr", { has: page.getByText("tee-s", { exact: true }) }).locator("img.thumb");
  expect(await thumb.getAttribute("src")).toBe(IMAGE);
  expect(await thumb.getAttribute("loading")).toBe("lazy");
  expect(await thumb.getAttribute("referrerpolicy")).toBe("no-referrer");
  expect(
    await page
      .locator("table.products tr", { has: page.getByText("tee-m", { exact: true }) })
      .locator("img.thumb")
      .count(),
  ).toBe(0);
  // The group and options columns, chosen in the URL like any other.
  await page.goto(`${server.url}/products?sort=sku&columns=group,options`);
  expect(await page.locator("table.products td.col-options").first().textContent()).toBe("Size: M");
});

it("filters the list by a group and by products without images, from the filter form", async () => {
  await page.goto(`${server.url}/products?sort=sku`);
  const total = () => page.locator(".total").textContent();
  const filters = page.locator("form.filters");
  await filters.getByLabel("Images", { exact: true }).selectOption("without");
  await expect.poll(() => total()).toBe("1 of 2 products match");
  expect(new URL(page.url()).searchParams.get("images")).toBe("without");
  await filters.getByLabel("Images", { exact: true }).selectOption("");
  await filters.getByLabel("Group", { exact: true }).fill("TEE");
  await expect.poll(() => total()).toBe("2 of 2 products match");
  expect(new URL(page.url()).searchParams.get("group")).toBe("TEE");
});

it("lists an import's warnings by line on its page", async () => {
  await page.goto(`${server.url}/imports`);
  await page.getByRole("link", { name: "tees.csv" }).first().click();
  const warnings = page.getByRole("region", { name: /Warnings/ });
  await expect.poll(() => warnings.getByRole("heading").textContent()).toBe("Warnings (1)");
  expect(await warnings.locator("tbody tr").textContent()).toBe(
    '3images "ftp://cdn.example.com/tee/m.jpg" is not an http or https URL; it was left out',
  );
});

it("edits a product's group, options and images in its dialog, an image added and a bad one refused inline", async () => {
  await page.goto(`${server.url}/products?group=tee&sort=sku`);
  expect(await page.locator("table.products td.sku").allTextContents()).toEqual(["tee-m", "tee-s"]);
  await page
    .locator("table.products tr", { has: page.getByText("tee-m", { exact: true }) })
    .getByRole("link", { name: /Edit/ })
    .click();
  await expect.poll(() => dialog().getByLabel("Group (shared by its variants, such as a handle)").inputValue()).toBe("tee");
  expect(await dialog().getByLabel("Option 1 (such as Size)").inputValue()).toBe("Size");
  expect(await dialog().getByLabel("Option 1 value").inputValue()).toBe("M");
  const images = dialog().getByLabel("Image URLs, one per line, the main one first");
  await images.fill("javascript:alert(1)");
  await dialog().getByRole("button", { name: "Save changes" }).click();
  await expect.poll(() => dialog().locator(".field-error").first().textContent()).toContain("is not an http or https URL");
  await images.fill(`${IMAGE}\nhttps://cdn.example.com/tee/m-back.jpg`);
  await dialog().getByLabel("Option 2 (such as Size)").fill("Color");
  await dialog().getByLabel("Option 2 value").fill("Navy");
  await dialog().getByRole("button", { name: "Save changes" }).click();
  await expect.poll(() => dialog().count()).toBe(0);
  const saved = (await apiClient(server.url).api.products.list.query({ sku: "tee-m" })).items[0]!;
  expect(saved).toMatchObject({
    group: "tee",
    options: [
      { name: "Size", value: "M" },
      { name: "Color", value: "Navy" },
    ],
    images: [IMAGE, "https://cdn.example.com/tee/m-back.jpg"],
  });
});

it("offers the export in this app's CSV, Shopify's and WooCommerce's format, with the list's filters", async () => {
  await page.goto(`${server.url}/products?group=tee`);
  await page.getByLabel("Other export formats").click();
  const shopify = page.getByRole("link", { name: "Shopify product CSV" });
  expect(await shopify.isVisible()).toBe(true);
  expect(await shopify.getAttribute("href")).toBe("/api/products/export?group=tee&format=shopify");
  expect(await page.getByRole("link", { name: "WooCommerce product CSV" }).getAttribute("href")).toBe(
    "/api/products/export?group=tee&format=woocommerce",
  );
  const download = page.waitForEvent("download");
  await shopify.click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^products_export_shopify-\d{4}-\d\d-\d\d\.csv$/);
});
