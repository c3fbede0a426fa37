import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/test-app.js";

/**
 * `GET /api/products/export?format=shopify|woocommerce` (CONTRACT.md "Variants and images"): the
 * catalog as the platform's importer takes it, read back by our own importer into an empty catalog
 * with every value the format carries.
 */

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.stop());
beforeEach(() => app.resetCatalog());

const CDN = "https://cdn.example.com/catalog";
const FRONT = `${CDN}/tee-front.jpg`;
const BACK = `${CDN}/tee-back.jpg`;

/** A grouped product as a shop sells it, and products alone, with every field. */
async function seed() {
  const shared = {
    name: "Classic tee",
    description: "<p>Soft, combed cotton.</p>",
    brand: "Nordwell",
    category: "Apparel > Shirts",
    tags: ["cotton", "summer"],
    group: "classic-tee",
    active: true,
  };
  const tee = (sku: string, size: string, extra: Record<string, unknown>) =>
    app.api.products.create.mutate({
      sku,
      ...shared,
      options: [
        { name: "Size", value: size },
        { name: "Color", value: "Navy" },
      ],
      weightGrams: "180.5",
      barcode: `400638133393${size.length}`,
      ...extra,
    });
  await tee("TEE-S", "S", { price: "19.90", compareAtPrice: "24.90", stock: 4, images: [FRONT, BACK] });
  await tee("TEE-M", "M", { price: "19.90", compareAtPrice: "24.90", stock: 0, images: [`${CDN}/tee-m.jpg`, FRONT, BACK] });
  await tee("TEE-XL", "XL", { price: "21.50", compareAtPrice: "29", stock: -2, images: [FRONT, BACK] });
  await app.api.products.create.mutate({
    sku: "MUG",
    name: "=Mug",
    description: "",
    price: "9",
    compareAtPrice: "12",
    stock: 11,
    group: "mug",
    tags: [],
    images: [`${CDN}/mug.jpg`],
    active: false,
  });
}

const FIELDS = [
  "sku",
  "name",
  "description",
  "active",
  "price",
  "compareAtPrice",
  "stock",
  "barcode",
  "weightGrams",
  "brand",
  "category",
  "tags",
  "group",
  "options",
  "images",
] as const;
async function catalog() {
  const { items } = await app.api.products.list.query({ sort: "sku", pageSize: 200 });
  return items.map((product) => Object.fromEntries(FIELDS.map((field) => [field, product[field]])));
}

async function exported(format: string, query = "") {
  const response = await fetch(`${app.url}/api/products/export?format=${format}${query}`);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-disposition")).toMatch(/attachment; filename=".+\.csv"/);
  return response.text();
}

async function importBack(content: string, filename: string) {
  await app.resetCatalog();
  const response = await app.uploadCsv(content, filename);
  expect(response.status, response.body.error).toBe(202);
  return app.waitForImport(response.body.id);
}

describe("the Shopify export", () => {
  it("writes a handle's variants and image rows as Shopify does, and reads back with every value", async () => {
    await seed();
    const before = await catalog();
    const csv = await exported("shopify");
    const rows: Record<string, string>[] = parse(csv, { columns: true });
    expect(rows.map((row) => [row["URL handle"], row.SKU, row["Option1 value"], row["Product image URL"], row["Image position"]])).toEqual([
      ["classic-tee", "TEE-S", "S", FRONT, "1"],
      ["classic-tee", "TEE-M", "M", BACK, "2"],
      ["classic-tee", "TEE-XL", "XL", "", ""],
      ["mug", "MUG", "Default Title", `${CDN}/mug.jpg`, "1"],
    ]);
    expect(rows[0]).toMatchObject({ Title: "Classic tee", "Option1 name": "Size", "Option2 name": "Color", Status: "active", Vendor: "Nordwell" });
    expect(rows[1]).toMatchObject({ Title: "", "Option1 name": "", "Variant image URL": `${CDN}/tee-m.jpg` });
    expect(rows[3]).toMatchObject({ Title: "=Mug", "Option1 name": "Title", Status: "draft" });

    const item = await importBack(csv, "products_export_shopify.csv");
    expect(item).toMatchObject({ status: "completed", profile: "shopify", createdCount: 4, errorCount: 0, warningCount: 0 });
    expect(await catalog()).toEqual(before);
  });

  it("gives a product without a group a handle of its own, and follows the list's filters", async () => {
    await app.api.products.create.mutate({ sku: "Solo 1", name: "Solo" });
    await seed();
    const rows: Record<string, string>[] = parse(await exported("shopify", "&group=mug"), { columns: true });
    expect(rows.map((row) => row.SKU)).toEqual(["MUG"]);
    const all: Record<string, string>[] = parse(await exported("shopify"), { columns: true });
    expect(all.find((row) => row.SKU === "Solo 1")).toMatchObject({ "URL handle": "solo-1", Title: "Solo" });
  });
});

describe("the WooCommerce export", () => {
  it("writes a variable parent and its variations, and reads back with every value", async () => {
    await seed();
    const before = await catalog();
    const csv = await exported("woocommerce");
    const rows: Record<string, string>[] = parse(csv, { columns: true });
    expect(rows.map((row) => [row.Type, row.SKU, row.Parent, row["Attribute 1 value(s)"]])).toEqual([
      ["variable", "classic-tee", "", "S, M, XL"],
      ["variation", "TEE-S", "classic-tee", "S"],
      ["variation", "TEE-M", "classic-tee", "M"],
      ["variation", "TEE-XL", "classic-tee", "XL"],
      ["simple", "MUG", "", ""],
    ]);
    // What a variation shares with its parent it leaves empty; a sale is a regular and a sale price.
    expect(rows[1]).toMatchObject({ Description: "", Images: "", "Regular price": "24.90", "Sale price": "19.90", "Weight (kg)": "0.1805" });
    expect(rows[2]).toMatchObject({ Images: `${CDN}/tee-m.jpg, ${FRONT}, ${BACK}` });
    // The exporter's mark on a cell a spreadsheet would run; the importers take it off.
    expect(rows[4]).toMatchObject({ Name: "'=Mug", Published: "-1" });

    const item = await importBack(csv, "wc-product-export.csv");
    expect(item).toMatchObject({ status: "completed", profile: "woocommerce", createdCount: 4, foldedCount: 1, errorCount: 0, warningCount: 0 });
    // A product alone has no group in WooCommerce's file.
    expect(await catalog()).toEqual(before.map((product) => (product.sku === "MUG" ? { ...product, group: null } : product)));
  });

  it("refuses a format it does not know, naming the ones it writes", async () => {
    const response = await fetch(`${app.url}/api/products/export?format=magento`);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toContain("format must be one of csv, shopify, woocommerce");
  });
});
