import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT, imageRow, product, SHOPIFY_SAMPLE, size, variant } from "../support/shopify-sample.js";
import { shopifyRows, type SupplierFile } from "../support/supplier-files.js";
import { startTestApp, type TestApp } from "../support/test-app.js";

/**
 * A Shopify export as the shop writes it (CONTRACT.md "Variants and images"): a handle's rows are
 * its variants, grouped and named by the handle's first row's options; image rows (with or without
 * a SKU) fold into the handle's images in their positions; a variant's own image goes first.
 */

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.stop());
beforeEach(() => app.resetCatalog());

const CDN = "https://burst.shopifycdn.com/photos";

async function upload(file: SupplierFile, options: Record<string, string> = {}) {
  const response = await app.uploadCsv(String(file.content), file.filename, options);
  expect(response.status, response.body.error).toBe(202);
  return app.waitForImport(response.body.id, (item) => ["completed", "failed", "review"].includes(item.status));
}

async function bySku() {
  const { items } = await app.api.products.list.query({ pageSize: 200, sort: "sku" });
  return Object.fromEntries(items.map((p) => [p.sku, { group: p.group, options: p.options, images: p.images }]));
}

const rowsAddUp = (item: Record<string, number>) =>
  item.createdCount! + item.updatedCount! + item.skippedCount! + item.errorCount! + item.repeatedCount! + item.foldedCount!;

describe("a Shopify export", () => {
  it.each(["classic", "2024"] as const)("(%s columns) groups each handle's variants with their options and every image", async (format) => {
    const item = await upload(shopifyRows(SHOPIFY_SAMPLE, format));
    expect(item).toMatchObject({
      status: "completed",
      totalRows: 11,
      createdCount: 8,
      skippedCount: 0,
      foldedCount: 3,
      errorCount: 0,
      warningCount: 0,
    });
    expect(rowsAddUp(item as never)).toBe(item.totalRows);
    const varsity = [`${CDN}/varsity.jpg`, `${CDN}/varsity-back.jpg`];
    const catalog = await bySku();
    expect(catalog).toMatchObject({
      "ocean-blue-shirt": { group: "ocean-blue-shirt", options: [], images: [`${CDN}/ocean-blue.jpg`] },
      "classic-varsity-top-small": { group: "classic-varsity-top", options: [{ name: "Size", value: "small" }], images: varsity },
      "classic-varsity-top-medium": { group: "classic-varsity-top", options: [{ name: "Size", value: "medium" }], images: varsity },
      "classic-varsity-top-large": { group: "classic-varsity-top", options: [{ name: "Size", value: "large" }], images: varsity },
      "yellow-wool-jumper": { images: [`${CDN}/yellow.jpg`, `${CDN}/yellow-side.jpg`, `${CDN}/yellow-back.jpg`] },
      "dark-denim-top-large-black": {
        group: "dark-denim-top",
        options: [
          { name: "Size", value: "Large" },
          { name: "Color", value: "Black" },
        ],
      },
    });
    const { items } = await app.api.products.list.query({ group: "CLASSIC-VARSITY-TOP" });
    expect(items.map((p) => p.sku).sort()).toEqual(["classic-varsity-top-large", "classic-varsity-top-medium", "classic-varsity-top-small"]);
  });

  it("puts a variant's own image first, orders the others by position, and folds image rows that carry a SKU", async () => {
    const rows = [
      { ...product("tee", "Tee", "", "20.00", size("S"), "tee-front.jpg"), "Variant SKU": "TEE-S" },
      { ...variant("tee", "20.00", { "Option1 Value": "M" }), "Variant SKU": "TEE-M", "Variant Image": `${CDN}/tee-m.jpg` },
      // Positions out of file order, and an image row with its own cells only.
      imageRow("tee", 3, "tee-back.jpg"),
      imageRow("tee", 2, "tee-side.jpg"),
    ];
    const item = await upload(shopifyRows(rows, "classic"));
    expect(item).toMatchObject({ createdCount: 2, foldedCount: 2, errorCount: 0 });
    const catalog = await bySku();
    const product_images = [`${CDN}/tee-front.jpg`, `${CDN}/tee-side.jpg`, `${CDN}/tee-back.jpg`];
    expect(catalog["TEE-S"]!.images).toEqual(product_images);
    expect(catalog["TEE-M"]!.images).toEqual([`${CDN}/tee-m.jpg`, ...product_images]);
  });

  it("rejects a handle's rows past the most variants a product can have, keeping the worker's memory bounded", async () => {
    const rows = [
      { ...product("huge", "Huge", "", "1.00", size("0"), "huge.jpg"), "Variant SKU": "H-0" },
      ...Array.from({ length: 2_050 }, (_, at) => ({
        ...variant("huge", "1.00", { "Option1 Value": String(at + 1) }),
        "Variant SKU": `H-${at + 1}`,
      })),
    ];
    const item = await upload(shopifyRows(rows, "classic"));
    expect(item).toMatchObject({ status: "completed", createdCount: 2_048, errorCount: 3 });
    const { items: errors } = await app.api.imports.errors.query({ id: item.id });
    expect(errors[0]).toMatchObject({ line: 2_050, message: '"huge" has more than 2048 variants; a product can have at most that many' });
  });

  it("leaves out an image that is no URL with its row's line, and rejects a variant whose option names disagree with its handle's", async () => {
    const rows = [
      product("cap", "Cap", "", "9.00", size("S"), "cap.jpg"),
      { ...imageRow("cap", 2, "x.jpg"), "Image Src": "javascript:alert(1)" },
      variant("cap", "9.00", { "Option1 Name": "Colour", "Option1 Value": "Red" }),
      product("mug", "Mug", "", "5.00", DEFAULT, "mug.jpg"),
    ];
    const item = await upload(shopifyRows(rows, "classic"));
    expect(item).toMatchObject({ createdCount: 2, foldedCount: 1, errorCount: 1, warningCount: 1 });
    expect(rowsAddUp(item as never)).toBe(4);
    const { items: warnings } = await app.api.imports.warnings.query({ id: item.id });
    expect(warnings).toEqual([{ line: 3, message: 'images ("Image Src") "javascript:alert(1)" is not an http or https URL; it was left out' }]);
    const { items: errors } = await app.api.imports.errors.query({ id: item.id });
    expect(errors.map((error) => [error.line, error.message])).toEqual([
      [4, 'option 1 is named "Colour" here but "Size" on the first row of "cap" (line 2); a product\'s variants share their option names'],
    ]);
    expect((await bySku()).mug).toEqual({ group: "mug", options: [], images: [`${CDN}/mug.jpg`] });
  });
});
