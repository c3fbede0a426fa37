import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/test-app.js";

/**
 * Groups, options and images from a generic file (CONTRACT.md "Variants and images"): its `group`,
 * `option1 name` / `option1 value`… and `images` columns, images left out with a warning and a
 * line, `imageBaseUrl`, bad options rejected with their line, reviewed and undone.
 */

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.stop());
beforeEach(() => app.resetCatalog());

const csv = (header: string[], rows: string[][]) =>
  [header, ...rows].map((row) => row.map((cell) => (/[",\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell)).join(",")).join("\n") + "\n";

async function upload(content: string, options: Record<string, string> = {}) {
  const response = await app.uploadCsv(content, "variants.csv", options);
  expect(response.status, response.body.error).toBe(202);
  const held = options.review === "1";
  return app.waitForImport(response.body.id, (item) => (held ? item.status === "review" : ["completed", "failed"].includes(item.status)));
}

async function bySku() {
  const { items } = await app.api.products.list.query({ pageSize: 200, sort: "sku" });
  return Object.fromEntries(items.map((product) => [product.sku, { group: product.group, options: product.options, images: product.images }]));
}

const HEADER = ["sku", "name", "handle", "option1 name", "option1 value", "option2 name", "option2 value", "images"];
const A = "https://cdn.example.com/a.jpg";
const B = "https://cdn.example.com/b.jpg";

describe("a generic file", () => {
  it("reads a group, options and images, images split on commas, spaces, | and ;", async () => {
    const done = await upload(
      csv(HEADER, [
        ["TEE-S", "Tee S", "tee", "Size", "S", "Color", "Navy", `${A}, ${B}`],
        ["TEE-M", "Tee M", "tee", "Size", "M", "Color", "Navy", `${B} | ${A};${A}`],
        ["CAP", "Cap", "", "", "", "", "", `${A}\n${B}`],
        // A comma inside a URL (an image CDN's transformation) is not a separator.
        ["MUG", "Mug", "", "Title", "Default Title", "", "", "https://res.example.com/w_100,h_100/mug.jpg"],
      ]),
    );
    expect(done).toMatchObject({ status: "completed", createdCount: 4, errorCount: 0, warningCount: 0, foldedCount: 0 });
    expect(done.mapping).toMatchObject({ group: "handle", option1Name: "option1 name", option2Value: "option2 value", images: "images" });
    const size = (value: string) => [
      { name: "Size", value },
      { name: "Color", value: "Navy" },
    ];
    expect(await bySku()).toEqual({
      CAP: { group: null, options: [], images: [A, B] },
      MUG: { group: null, options: [], images: ["https://res.example.com/w_100,h_100/mug.jpg"] },
      "TEE-M": { group: "tee", options: size("M"), images: [B, A] },
      "TEE-S": { group: "tee", options: size("S"), images: [A, B] },
    });
  });

  it("leaves out an image it cannot use, keeps the product, and lists why with the line", async () => {
    const done = await upload(
      csv(HEADER, [
        ["P-1", "One", "", "", "", "", "", `${A} ftp://cdn.example.com/x.jpg`],
        ["P-2", "Two", "", "", "", "", "", `/m/b/jkt.jpg ${B}`],
        ["P-3", "Three", "", "", "", "", "", `https://cdn.example.com/${"x".repeat(2050)}.jpg`],
      ]),
      { review: "1" },
    );
    expect(done).toMatchObject({ status: "review", errorCount: 0, warningCount: 3 });
    const warnings = await app.api.imports.warnings.query({ id: done.id });
    expect(warnings.total).toBe(3);
    expect(warnings.items).toEqual([
      { line: 2, message: 'images "ftp://cdn.example.com/x.jpg" is not an http or https URL; it was left out' },
      { line: 3, message: 'images "/m/b/jkt.jpg" is a relative path; give imageBaseUrl to read it as a URL; it was left out' },
      { line: 4, message: expect.stringMatching(/^images "https:\/\/cdn\.example\.com\/x+\.\.\." is 20\d\d characters long; the limit is 2048/) },
    ]);
    const review = await app.api.imports.review.query({ id: done.id });
    expect(review.warnings).toContain("3 values were read but left out (see the warnings).");
    await app.api.imports.apply.mutate({ id: done.id });
    await app.waitForImport(done.id, (item) => item.status === "completed");
    expect(await bySku()).toEqual({
      "P-1": { group: null, options: [], images: [A] },
      "P-2": { group: null, options: [], images: [B] },
      "P-3": { group: null, options: [], images: [] },
    });
  });

  it("reads relative image paths against imageBaseUrl", async () => {
    const done = await upload(csv(["sku", "name", "images"], [["JKT", "Jacket", "/m/b/jkt.jpg,/m/b/jkt-back.jpg"]]), {
      imageBaseUrl: "https://shop.example.com/media/catalog/product/",
    });
    expect(done).toMatchObject({ status: "completed", warningCount: 0, imageBaseUrl: "https://shop.example.com/media/catalog/product/" });
    expect((await bySku()).JKT!.images).toEqual([
      "https://shop.example.com/media/catalog/product/m/b/jkt.jpg",
      "https://shop.example.com/media/catalog/product/m/b/jkt-back.jpg",
    ]);
    const refused = await app.uploadCsv("sku,name\nA,B\n", "x.csv", { imageBaseUrl: "ftp://shop.example.com/" });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toContain("imageBaseUrl");
  });

  it("rejects a row whose option has a value but no name, with its line", async () => {
    const done = await upload(
      csv(HEADER, [
        ["OK", "Fine", "", "Size", "S", "", "", ""],
        ["BAD", "Bad", "", "Size", "S", "", "Navy", ""],
        ["TWICE", "Twice", "", "Size", "S", "size", "M", ""],
      ]),
    );
    expect(done).toMatchObject({ status: "completed", createdCount: 1, errorCount: 2 });
    const errors = (await app.api.imports.errors.query({ id: done.id })).items.map((error) => [error.line, error.message]);
    expect(errors).toEqual([
      [3, 'option 2 has the value "Navy" but no name'],
      [4, 'option "size" is named twice'],
    ]);
  });
});

describe("a Magento export", () => {
  const magento = (rows: string[][]) =>
    csv(["sku", "store_view_code", "attribute_set_code", "product_type", "name", "product_online", "base_image", "additional_images"], rows);
  const ROWS = [
    ["MH01", "", "Top", "simple", "Chaz Hoodie", "1", "/m/h/mh01-gray_main.jpg", "/m/h/mh01-gray_main.jpg,/m/h/mh01-gray_alt1.jpg"],
    ["MJ01", "", "Top", "simple", "Beaumont Jacket", "1", "", ""],
  ];

  it("reads base_image and additional_images as media paths under imageBaseUrl", async () => {
    const base = "https://shop.example.com/media/catalog/product/";
    const done = await upload(magento(ROWS), { imageBaseUrl: base });
    expect(done).toMatchObject({ profile: "magento", createdCount: 2, warningCount: 0 });
    expect(await bySku()).toMatchObject({
      MH01: { images: [`${base}m/h/mh01-gray_main.jpg`, `${base}m/h/mh01-gray_alt1.jpg`] },
      MJ01: { images: [] },
    });
  });

  it("without imageBaseUrl imports the products and lists each path it could not read as a warning", async () => {
    const done = await upload(magento(ROWS));
    expect(done).toMatchObject({ profile: "magento", createdCount: 2, warningCount: 3 });
    const { items } = await app.api.imports.warnings.query({ id: done.id });
    expect(items[0]).toEqual({
      line: 2,
      message: 'images ("base_image") "/m/h/mh01-gray_main.jpg" is a relative path; give imageBaseUrl to read it as a URL; it was left out',
    });
    expect((await bySku()).MH01!.images).toEqual([]);
  });
});

describe("a Magento export with configurable products", () => {
  const HEADER = ["sku", "store_view_code", "attribute_set_code", "product_type", "name", "product_online", "visibility"];
  const magento = (rows: string[][]) => csv([...HEADER, "configurable_variations", "configurable_variation_labels"], rows);
  // As Magento exports them: the children (simple, not visible on their own) before their configurable parent.
  const ROWS = [
    ["MH01-XS-Black", "", "Top", "simple", "Chaz Hoodie-XS-Black", "1", "Not Visible Individually", "", ""],
    ["MH01-XS-Gray", "", "Top", "simple", "Chaz Hoodie-XS-Gray", "1", "Not Visible Individually", "", ""],
    ["MH01-XS-Black", "de", "Top", "simple", "Chaz Kapuzenpulli-XS-Schwarz", "", "", "", ""],
    [
      "MH01",
      "",
      "Top",
      "configurable",
      "Chaz Hoodie",
      "1",
      "Catalog, Search",
      "sku=MH01-XS-Black,size=XS,color=Black|sku=MH01-XS-Gray,size=XS,color=Gray|sku=MH01-S-Black,size=S,color=Black",
      "size=Size,color=Color",
    ],
    ["MJ01", "", "Top", "simple", "Beaumont Jacket", "1", "Catalog, Search", "", ""],
  ];

  it("groups the children a configurable row names under its SKU, with their options labelled, wherever they are in the file", async () => {
    const done = await upload(magento(ROWS));
    // The parent is no product of its own; a child it names that the file lacks is left alone.
    expect(done).toMatchObject({ profile: "magento", createdCount: 3, foldedCount: 1, skippedCount: 1, errorCount: 0 });
    const option = (size: string, color: string) => [
      { name: "Size", value: size },
      { name: "Color", value: color },
    ];
    expect(await bySku()).toEqual({
      "MH01-XS-Black": { group: "MH01", options: option("XS", "Black"), images: [] },
      "MH01-XS-Gray": { group: "MH01", options: option("XS", "Gray"), images: [] },
      MJ01: { group: null, options: [], images: [] },
    });
    expect(done.notices).toContainEqual(expect.stringContaining("1 row is a parent product"));
  });
});

describe("a BigCommerce export (legacy Bulk Edit)", () => {
  const HEADER = [
    "Item Type",
    "Product ID",
    "Product Name",
    "Product Code/SKU",
    "Price",
    "Product Visible?",
    "Product Image URL - 1",
    "Product Image URL - 2",
  ];
  const ROWS = [
    ["Product", "101", "Classic Tee", "TEE", "20.00", "Y", A, B],
    ["SKU", "", "[S]Size=Small,[C]Color=Navy", "TEE-S-NAVY", "", "", "", ""],
    ["SKU", "", "[S]Size=Large,[C]Color=Navy", "TEE-L-NAVY", "", "", "https://cdn.example.com/tee-l.jpg", ""],
    ["Product", "102", "Mug", "MUG", "8.00", "Y", "", B],
  ];

  it("groups SKU rows under their product row, reads their options, and gives them its images when they have none", async () => {
    const done = await upload(csv(HEADER, ROWS));
    expect(done).toMatchObject({ profile: "bigcommerce", createdCount: 3, foldedCount: 1, errorCount: 0 });
    expect(await bySku()).toEqual({
      MUG: { group: null, options: [], images: [B] },
      "TEE-L-NAVY": {
        group: "TEE",
        options: [
          { name: "Size", value: "Large" },
          { name: "Color", value: "Navy" },
        ],
        images: ["https://cdn.example.com/tee-l.jpg"],
      },
      "TEE-S-NAVY": {
        group: "TEE",
        options: [
          { name: "Size", value: "Small" },
          { name: "Color", value: "Navy" },
        ],
        images: [A, B],
      },
    });
    expect(done.notices).toContainEqual(expect.stringContaining("1 row is a parent product"));
  });
});

describe("review and undo", () => {
  it("says how many products lose their images, and an undo gives back images, options and group", async () => {
    await upload(
      csv(HEADER, [
        ["TEE-S", "Tee S", "tee", "Size", "S", "", "", A],
        ["TEE-M", "Tee M", "tee", "Size", "M", "", "", B],
      ]),
    );
    const before = await bySku();
    const held = await upload(
      csv(HEADER, [
        ["TEE-S", "Tee S", "", "", "", "", "", ""],
        ["TEE-M", "Tee M", "tee", "Size", "L", "", "", B],
      ]),
      { review: "1" },
    );
    const review = await app.api.imports.review.query({ id: held.id });
    expect(review).toMatchObject({ updated: 2, unchanged: 0 });
    expect(review.changed).toMatchObject({ group: 1, options: 2, images: 1 });
    expect(review.warnings).toContain("1 product loses its images.");
    await app.api.imports.apply.mutate({ id: held.id });
    await app.waitForImport(held.id, (item) => item.status === "completed");
    expect(await bySku()).toEqual({
      "TEE-M": { group: "tee", options: [{ name: "Size", value: "L" }], images: [B] },
      "TEE-S": { group: null, options: [], images: [] },
    });
    await app.api.imports.revert.mutate({ id: held.id });
    expect(await bySku()).toEqual(before);
  });

  it("keeps the stored values for empty cells with emptyCells=keep", async () => {
    await upload(csv(HEADER, [["TEE-S", "Tee S", "tee", "Size", "S", "", "", A]]));
    await upload(csv(HEADER, [["TEE-S", "Tee S", "", "", "", "", "", ""]]), { emptyCells: "keep" });
    expect((await bySku())["TEE-S"]).toEqual({ group: "tee", options: [{ name: "Size", value: "S" }], images: [A] });
  });
});
