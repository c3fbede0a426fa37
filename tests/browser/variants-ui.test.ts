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
  await page.goto(`${server.url}/products?sort=sku&view=variants`);
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
  await page.goto(`${server.url}/products?sort=sku&view=variants&columns=group,options`);
  expect(await page.locator("table.products td.col-options").first().textContent()).toBe("Size: M");
});

it("lists a group on one line with its variants' count and options, which opens to the variants' rows", async () => {
  await page.goto(`${server.url}/products?columns=price,options`);
  const line = page.locator("table.products tr.group-line");
  expect(await line.count()).toBe(1);
  // The variants in the order they were added (an import adds new SKUs in SKU order).
  expect(await line.locator("td.name").textContent()).toBe("Tee▸2 variants · Size: M, S");
  expect(await line.locator("img.thumb").getAttribute("src")).toBe(IMAGE);
  // The variants differ in their options: the line says so rather than pick one.
  expect(await line.locator("td.col-options").textContent()).toBe("Varies");
  const variants = page.locator("table.products tr.variant");
  expect(await variants.count()).toBe(2);
  expect(await variants.first().isVisible()).toBe(false);
  const toggle = line.getByRole("button", { name: "2 variants" });
  expect(await toggle.getAttribute("aria-expanded")).toBe("false");
  await toggle.click();
  await expect.poll(() => variants.first().isVisible()).toBe(true);
  expect(await toggle.getAttribute("aria-expanded")).toBe("true");
  // Space closes it again, and opens it, as a button's key.
  await toggle.press(" ");
  await expect.poll(() => variants.first().isVisible()).toBe(false);
  await toggle.press(" ");
  await expect.poll(() => variants.first().isVisible()).toBe(true);
  expect(await variants.locator("td.sku").allTextContents()).toEqual(["tee-m", "tee-s"]);
  expect(await variants.first().locator("td.name .variant-options").textContent()).toBe("Size: M");
  // Ticking the line ticks its variants, whose boxes the bulk actions read.
  await line.getByLabel("Select the variants of tee").check();
  await expect.poll(() => page.getByLabel("Select tee-m").isChecked()).toBe(true);
  expect(await page.getByLabel("Select tee-s").isChecked()).toBe(true);
  // "Only these" lists the group's variants one to a row.
  await line.getByRole("link", { name: "Only the variants of tee" }).click();
  await expect.poll(() => new URL(page.url()).searchParams.get("group")).toBe("tee");
  expect(await page.locator("table.products tr.group-line").count()).toBe(0);
  expect(await page.locator("table.products td.sku").allTextContents()).toEqual(["tee-m", "tee-s"]);
});

it("opens a group from the link alone, as before scripts load, and every group of a filtered list", async () => {
  const response = await fetch(`${server.url}/products?open=tee`);
  const html = await response.text();
  expect(html).toMatch(/<tr class="variant"><td class="select">/);
  expect(html).not.toMatch(/<tr hidden="" class="variant"/);
  const closed = await (await fetch(`${server.url}/products`)).text();
  expect(closed).toMatch(/<tr hidden="" class="variant"/);
  // Filtered, the matching variants are what was looked for: shown.
  const filtered = await (await fetch(`${server.url}/products?sku=tee`)).text();
  expect(filtered).toMatch(/<tr class="variant"><td class="select">/);
  expect(filtered).not.toMatch(/<tr hidden="" class="variant"/);
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
  const gallery = dialog().getByRole("group", { name: "Images, the main one first" });
  expect(await gallery.getByLabel("Image 1 (main)").count()).toBe(0);
  const add = gallery.getByLabel("Add an image URL");
  await add.fill("javascript:alert(1)");
  await add.press("Enter");
  // Enter added it to the list; it was not saved.
  await expect.poll(() => gallery.getByLabel("Image 1 (main)").inputValue()).toBe("javascript:alert(1)");
  expect(await add.inputValue()).toBe("");
  await dialog().getByRole("button", { name: "Save changes" }).click();
  await expect.poll(() => dialog().locator(".field-error").first().textContent()).toContain("is not an http or https URL");
  // The refused form keeps the list as posted.
  expect(await gallery.getByLabel("Image 1 (main)").inputValue()).toBe("javascript:alert(1)");
  await gallery.getByRole("button", { name: "Remove image 1" }).click();
  await expect.poll(() => gallery.getByLabel("Image 1 (main)").count()).toBe(0);
  expect(await add.evaluate((input) => input === document.activeElement)).toBe(true);
  await add.fill("https://cdn.example.com/tee/m-back.jpg");
  await gallery.getByRole("button", { name: "Add image" }).click();
  await add.fill(IMAGE);
  await add.press("Enter");
  expect(await gallery.locator("img.thumb").count()).toBe(2);
  // The front image becomes the main one.
  await gallery.getByRole("button", { name: "Move image 2 up" }).click();
  await expect.poll(() => gallery.getByLabel("Image 1 (main)").inputValue()).toBe(IMAGE);
  expect(await gallery.getByRole("button", { name: "Move image 1 down" }).evaluate((button) => button === document.activeElement)).toBe(true);
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
