import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT, imageRow, product, SHOPIFY_SAMPLE as SAMPLE, size, variant } from "../support/shopify-sample.js";
import { magentoExport, shopifyRows, type SupplierFile } from "../support/supplier-files.js";
import { startTestApp, type TestApp } from "../support/test-app.js";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.stop();
});
beforeEach(async () => {
  await app.resetCatalog();
  for (const saved of await app.api.mappings.list.query({})) await app.api.mappings.delete.mutate({ id: saved.id });
});

const optionOf = (row: Record<string, string>) => row["Option1 Value"] ?? "";

const MADE_SKUS = [
  "classic-varsity-top-large",
  "classic-varsity-top-medium",
  "classic-varsity-top-small",
  "dark-denim-top-large-black",
  "dark-denim-top-large-blue-navy",
  "dark-denim-top-small-blue-navy",
  "ocean-blue-shirt",
  "yellow-wool-jumper",
];

async function upload(file: SupplierFile, options: Record<string, string> = {}) {
  const form = new FormData();
  for (const [name, value] of Object.entries(options)) form.append(name, value);
  form.append("file", new Blob([String(file.content)]), file.filename);
  const response = await fetch(`${app.url}/api/imports`, { method: "POST", body: form });
  const body = (await response.json()) as { id: string; error?: string };
  expect(response.status, body.error).toBe(202);
  const held = options.review === "1";
  const item = await app.waitForImport(body.id, (it: { status: string }) =>
    held ? it.status === "review" : ["completed", "failed"].includes(it.status),
  );
  const { items: rejected } = await app.api.imports.errors.query({ id: body.id, pageSize: 200 });
  return { item, rejected };
}

describe("a Shopify export whose variants have no SKU", () => {
  it.each(["classic", "2024"] as const)(
    "(%s columns) imports every variant as a product, its SKU made from its handle and options, image rows folded into their products",
    async (format) => {
      const { item, rejected } = await upload(shopifyRows(SAMPLE, format));
      expect(rejected).toEqual([]);
      expect(item).toMatchObject({
        status: "completed",
        profile: "shopify",
        totalRows: 11,
        createdCount: 8,
        errorCount: 0,
        skippedCount: 0,
        foldedCount: 3,
      });
      const catalog = await app.productsBySku();
      expect(catalog.map((p) => p.sku)).toEqual(MADE_SKUS);
      expect(catalog.find((p) => p.sku === "classic-varsity-top-medium")).toEqual({
        sku: "classic-varsity-top-medium",
        name: "Classic Varsity Top",
        description: "<p>Womens casual varsity top.</p>",
        active: true,
      });
      expect(item.skippedReasons).toEqual([]);
      const said = item.notices.join("\n");
      expect(said).toMatch(/^SKUs were made from handles: 8 variants had no SKU of their own/);
      expect(said).toContain("(ocean-blue-shirt, classic-varsity-top-small, classic-varsity-top-medium, …)");
      expect(said).toContain("3 rows only add an image to their product: they went into the images of the product's variants");
    },
  );

  it("imported again updates the same products instead of adding new ones", async () => {
    const file = shopifyRows(SAMPLE, "classic");
    await upload(file);
    const changed = shopifyRows(
      SAMPLE.map((row) => (row.Handle === "ocean-blue-shirt" ? { ...row, Title: "Ocean Blue Shirt (linen)" } : row)),
      "classic",
    );
    const { item } = await upload(changed);
    expect(item).toMatchObject({ status: "completed", createdCount: 0, updatedCount: 8, unchangedCount: 7, foldedCount: 3, errorCount: 0 });
    const catalog = await app.productsBySku();
    expect(catalog.map((p) => p.sku)).toEqual(MADE_SKUS);
    expect(catalog.find((p) => p.sku === "ocean-blue-shirt")?.name).toBe("Ocean Blue Shirt (linen)");
  });

  it("keeps a variant's own SKU where it has one, and makes the others'", async () => {
    const rows = SAMPLE.map((row): Record<string, string> => (optionOf(row) === "medium" ? { ...row, "Variant SKU": "CVT-M" } : row));
    const { item } = await upload(shopifyRows(rows, "classic"));
    expect(item).toMatchObject({ createdCount: 8, errorCount: 0 });
    const skus = (await app.productsBySku()).map((p) => p.sku);
    expect(skus).toContain("CVT-M");
    expect(skus).not.toContain("classic-varsity-top-medium");
    expect(skus).toContain("classic-varsity-top-large");
  });

  it("mapped by hand to sku ← Handle still makes one product per variant", async () => {
    const { item } = await upload(shopifyRows(SAMPLE, "classic"), { mapping: JSON.stringify({ sku: "Handle", name: "Title" }) });
    expect(item).toMatchObject({ createdCount: 8, repeatedCount: 0, skippedCount: 3, errorCount: 0 });
    expect((await app.productsBySku()).map((p) => p.sku)).toEqual(MADE_SKUS);
  });

  it("in a review counts its image rows as folded, and applied as a sync keeps the product of a rejected variant", async () => {
    await upload(shopifyRows(SAMPLE, "classic"));
    const rows = SAMPLE.map((row) => (optionOf(row) === "medium" ? { ...row, Status: "maybe" } : row));
    const form = { review: "1", mode: "sync", confirmLargeSync: "1" };
    const { item, rejected } = await upload(shopifyRows(rows, "classic"), form);
    expect(item).toMatchObject({ status: "review", skippedRowCount: 0, foldedCount: 3, errorCount: 1 });
    expect(rejected[0]!.message).toContain('(its SKU "classic-varsity-top-medium" was made from its handle and options)');
    const review = await app.api.imports.review.query({ id: item.id });
    expect(review).toMatchObject({ created: 0, updated: 0, unchanged: 7, skipped: 0, folded: 3, rejected: 1, removed: 0, repeated: 0 });
    await app.api.imports.apply.mutate({ id: item.id });
    const applied = await app.waitForImport(item.id);
    expect(applied).toMatchObject({ status: "completed", removedCount: 0, skippedCount: 0, foldedCount: 3 });
    expect((await app.productsBySku()).find((p) => p.sku === "classic-varsity-top-medium")?.active, "the rejected row's product is kept").toBe(true);
  });

  it("a saved sku ← Handle mapping still takes the SKUs of a Shopify file that has them", async () => {
    await upload(shopifyRows(SAMPLE, "classic"), { mapping: JSON.stringify({ sku: "Handle", name: "Title" }) });
    await app.resetCatalog();
    const withSkus = SAMPLE.map((row, i) => ("Variant Price" in row ? { ...row, "Variant SKU": `SKU-${i}` } : row));
    const { item } = await upload(shopifyRows(withSkus, "classic"));
    expect(item).toMatchObject({ mappingSource: "saved", createdCount: 8, errorCount: 0 });
    expect((await app.productsBySku()).map((p) => p.sku)).toEqual(["SKU-0", "SKU-1", "SKU-10", "SKU-2", "SKU-3", "SKU-5", "SKU-8", "SKU-9"]);
  });

  it("two variants whose options read alike each get a product, numbered in file order", async () => {
    const rows = [product("mug", "Mug", "", "9.00", size("1/2 l"), "mug.jpg"), variant("mug", "9.00", { "Option1 Value": "1 2 L" })];
    const { item } = await upload(shopifyRows(rows, "classic"));
    expect(item).toMatchObject({ createdCount: 2, repeatedCount: 0 });
    expect((await app.productsBySku()).map((p) => p.sku)).toEqual(["mug-1-2-l", "mug-1-2-l-2"]);
  });

  it("rejects what is really wrong, saying what is missing", async () => {
    const rows = [
      product("no-title", "", "", "5.00", DEFAULT, "x.jpg"),
      { Handle: "lost", "Image Alt Text": "alt text only" },
      { ...variant("", "5.00", DEFAULT), Title: "Orphan" },
    ];
    const { item, rejected } = await upload(shopifyRows(rows, "classic"));
    expect(item).toMatchObject({ createdCount: 0, errorCount: 3, skippedCount: 0 });
    expect(rejected.map((row: { line: number; message: string }) => [row.line, row.message])).toEqual([
      [2, 'name ("Title") is empty (its SKU "no-title" was made from its handle and options)'],
      [3, 'this row of "lost" is neither a variant nor an image: "Variant SKU", "Option1 Value", "Variant Price" and the image are all empty'],
      [4, 'sku ("Variant SKU") is empty and so is the handle ("Handle"): a row needs its own SKU or its product\'s handle'],
    ]);
  });
});

describe("a saved mapping", () => {
  const shopifyFile = (extraColumnDropped: boolean) => {
    const rows = SAMPLE.slice(0, 4).map((row) => ({ ...row, "Variant Barcode": `BC-${row.Handle}-${optionOf(row)}` }));
    const file = shopifyRows(rows, "classic");
    if (!extraColumnDropped) return file;
    // The same export without its last column (Status), as a store without it writes it.
    const lines = String(file.content)
      .split("\r\n")
      .map((line) => line.replace(/,[^,]*$/, ""));
    return { ...file, content: lines.join("\r\n") };
  };

  it.each([
    ["a column less", false, true],
    ["a column more", true, false],
  ])(
    "chosen for one Shopify file is used for the next one of that platform with %s, and listed with its platform",
    async (_, firstDropped, nextDropped) => {
      const mapping = { sku: "Variant Barcode", name: "Title" };
      const first = await upload(shopifyFile(firstDropped), { mapping: JSON.stringify(mapping) });
      expect(first.item).toMatchObject({ mappingSource: "chosen", createdCount: 4 });
      expect(await app.api.mappings.list.query({})).toEqual([expect.objectContaining({ mapping, profile: "shopify" })]);

      const next = shopifyFile(nextDropped);
      const inspection = await app.api.imports.inspect.query({ sample: Buffer.from(String(next.content)).toString("base64"), wholeFile: true });
      expect(inspection).toMatchObject({ mappingSource: "saved", savedFor: "platform", mapping, profile: "shopify" });
      await app.resetCatalog();
      const again = await upload(next);
      expect(again.item).toMatchObject({ mappingSource: "saved", mapping, createdCount: 4 });
      expect((await app.productsBySku()).map((p) => p.sku)).toContain("BC-classic-varsity-top-small");
    },
  );

  it("for a file of no platform is used for the same columns with one more, not for a different file", async () => {
    const mapping = { sku: "Code", name: "Label" };
    await upload({ content: "Code;Label;Text\nm-1;First;One\n", filename: "a.csv", notes: "" }, { mapping: JSON.stringify(mapping) });
    const oneMore = await upload({ content: "Code;Label;Text;Colour\nm-2;Second;Two;red\n", filename: "b.csv", notes: "" });
    expect(oneMore.item).toMatchObject({ mappingSource: "saved", createdCount: 1 });
    const response = await fetch(`${app.url}/api/imports`, {
      method: "POST",
      headers: { "Content-Type": "text/csv" },
      body: "Code;Label;Colour;Weight;Size\nm-3;Third;red;1;M\n",
    });
    expect(response.status, "three columns differ: not the same file, so not offered").toBe(400);
  });
});

describe("a Magento export's store-view rows", () => {
  it("are counted as skipped, not rejected, and are not in errors.csv", async () => {
    const file = magentoExport([{ sku: "JKT-1", name: "Jacket", description: "Warm", active: true }]);
    const { item, rejected } = await upload(file);
    expect(item).toMatchObject({ status: "completed", profile: "magento", createdCount: 1, errorCount: 0, skippedCount: 1 });
    expect(rejected).toEqual([]);
    expect(item.notices).toEqual([expect.stringMatching(/^1 row skipped: a store-view row \(store_view_code "de"\)/)]);
    const errorsCsv = await (await fetch(`${app.url}/api/imports/${item.id}/errors.csv`)).text();
    expect(errorsCsv.trim().split("\n")).toHaveLength(1);
  });
});

describe("a large Shopify export (read in a worker thread)", () => {
  it("makes the same SKUs and folds the same image rows into their products", async () => {
    const rows = Array.from({ length: 300 }, (_, i) => [
      product(`tee-${i}`, `Tee ${i}`, `<p>${"Soft cotton. ".repeat(20)}</p>`, "20.00", size("S"), `tee-${i}.jpg`),
      variant(`tee-${i}`, "20.00", { "Option1 Value": "M" }),
      imageRow(`tee-${i}`, 2, `tee-${i}-back.jpg`),
    ]).flat();
    const file = shopifyRows(rows, "classic");
    expect(String(file.content).length, "larger than the 64 KB sample read on the request thread").toBeGreaterThan(128 * 1024);
    const { item } = await upload(file);
    expect(item).toMatchObject({ status: "completed", createdCount: 600, skippedCount: 0, foldedCount: 300, errorCount: 0, repeatedCount: 0 });
    // A product's images reach each variant, also where a batch of the file ends between its rows.
    const { items } = await app.api.products.list.query({ hasImages: true, pageSize: 1 });
    expect((await app.api.products.count.query({ hasImages: false })).count).toBe(0);
    expect(items[0]!.images).toHaveLength(2);
    expect(item.notices[0]).toMatch(/^SKUs were made from handles: 600 variants had no SKU of their own/);
    expect((await app.productsBySku()).slice(0, 3).map((p) => p.sku)).toEqual(["tee-0-m", "tee-0-s", "tee-1-m"]);
  });
});
