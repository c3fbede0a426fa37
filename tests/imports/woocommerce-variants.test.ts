import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/test-app.js";

/**
 * A WooCommerce export as its exporter writes variable products (CONTRACT.md "Variants and
 * images"): a `variable` parent fills in what its `variation` rows leave empty and is no product of
 * its own; `Parent` names it by SKU or as `id:<ID>`; `Attribute N name` / `value(s)` are a
 * variation's options; `Images` is a comma-separated list.
 */

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.stop());
beforeEach(() => app.resetCatalog());

/** The exporter's columns (WooCommerce 9), its attribute columns after the built-in ones. */
const HEADER = [
  "ID",
  "Type",
  "SKU",
  "Name",
  "Published",
  "Is featured?",
  "Visibility in catalog",
  "Short description",
  "Description",
  "In stock?",
  "Stock",
  "Sale price",
  "Regular price",
  "Categories",
  "Tags",
  "Images",
  "Parent",
  "Position",
  "Attribute 1 name",
  "Attribute 1 value(s)",
  "Attribute 1 visible",
  "Attribute 1 global",
  "Attribute 2 name",
  "Attribute 2 value(s)",
  "Attribute 2 visible",
  "Attribute 2 global",
];
type Row = Partial<Record<(typeof HEADER)[number], string>>;
const quote = (cell: string) => (/[\s,"]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);
const wooCsv = (rows: Row[]) =>
  "\uFEFF" + [HEADER.map(quote).join(","), ...rows.map((row) => HEADER.map((column) => quote(row[column] ?? "")).join(","))].join("\n") + "\n";

const UPLOADS = "https://shop.example.com/wp-content/uploads/2024/03";
const common = { Published: "1", "Is featured?": "0", "Visibility in catalog": "visible", "In stock?": "1" };
const attributes = (size: string, color: string) => ({
  "Attribute 1 name": "Size",
  "Attribute 1 value(s)": size,
  "Attribute 1 visible": "1",
  "Attribute 1 global": "1",
  "Attribute 2 name": "Color",
  "Attribute 2 value(s)": color,
  "Attribute 2 visible": "1",
  "Attribute 2 global": "1",
});

const ROWS: Row[] = [
  {
    ...common,
    ...attributes("S, M", "Navy"),
    ID: "20",
    Type: "variable",
    SKU: "HOOD",
    Name: "Hoodie",
    Description: "Brushed fleece.",
    Categories: "Clothing > Hoodies",
    Tags: "fleece, winter",
    Images: `${UPLOADS}/hoodie.jpg, ${UPLOADS}/hoodie-back.jpg`,
  },
  {
    ...common,
    ...attributes("S", "Navy"),
    ID: "21",
    Type: "variation",
    SKU: "HOOD-S",
    Name: "Hoodie - S, Navy",
    "Regular price": "49",
    Parent: "id:20",
  },
  {
    ...common,
    ...attributes("M", "Navy"),
    ID: "22",
    Type: "variation",
    SKU: "HOOD-M",
    Name: "Hoodie - M, Navy",
    "Regular price": "49",
    Parent: "HOOD",
    Images: `${UPLOADS}/hoodie-m.jpg`,
  },
  {
    ...common,
    ID: "30",
    Type: "variable",
    Name: "Scarf",
    Description: "Wool.",
    "Attribute 1 name": "Color",
    "Attribute 1 value(s)": "Red, Grey",
  },
  {
    ...common,
    ID: "31",
    Type: "variation",
    SKU: "SCARF-RED",
    Name: "",
    "Regular price": "19",
    Parent: "id:30",
    "Attribute 1 name": "Color",
    "Attribute 1 value(s)": "Red",
  },
  {
    ...common,
    ID: "40",
    Type: "simple",
    SKU: "MUG",
    Name: "Mug",
    "Regular price": "9",
    "Attribute 1 name": "Material",
    "Attribute 1 value(s)": "Stoneware, glaze",
  },
  { ...common, ...attributes("L", "Black"), ID: "51", Type: "variation", SKU: "TEE-L", Name: "Tee - L", "Regular price": "15", Parent: "TEE" },
];

async function upload(content: string) {
  const response = await app.uploadCsv(content, "wc-product-export-1-3-2024-1709290000000.csv");
  expect(response.status, response.body.error).toBe(202);
  return app.waitForImport(response.body.id);
}

describe("a WooCommerce export with variable products", () => {
  it("folds each parent into its variations, groups them, and reads their attributes as options", async () => {
    const item = await upload(wooCsv(ROWS));
    expect(item).toMatchObject({ status: "completed", profile: "woocommerce", createdCount: 5, foldedCount: 2, errorCount: 0, warningCount: 1 });
    expect(item.createdCount + item.foldedCount + item.errorCount + item.skippedCount + item.repeatedCount).toBe(ROWS.length);
    const { items } = await app.api.products.list.query({ sort: "sku" });
    const bySku = Object.fromEntries(items.map((p) => [p.sku, p]));
    expect(Object.keys(bySku)).toEqual(["HOOD-M", "HOOD-S", "MUG", "SCARF-RED", "TEE-L"]);
    expect(bySku["HOOD-S"]).toMatchObject({
      name: "Hoodie - S, Navy",
      description: "Brushed fleece.",
      category: "Clothing > Hoodies",
      tags: ["fleece", "winter"],
      group: "HOOD",
      options: [
        { name: "Size", value: "S" },
        { name: "Color", value: "Navy" },
      ],
      images: [`${UPLOADS}/hoodie.jpg`, `${UPLOADS}/hoodie-back.jpg`],
      price: "49.00",
    });
    expect(bySku["HOOD-M"]).toMatchObject({ group: "HOOD", images: [`${UPLOADS}/hoodie-m.jpg`], description: "Brushed fleece." });
    // A parent without a SKU is named by its ID, and gives a variation without a name its own.
    expect(bySku["SCARF-RED"]).toMatchObject({ name: "Scarf", group: "id:30", options: [{ name: "Color", value: "Red" }] });
    expect(bySku.MUG).toMatchObject({ group: null, options: [] });
    expect(bySku["TEE-L"]).toMatchObject({ group: "TEE", description: "" });
    const { items: warnings } = await app.api.imports.warnings.query({ id: item.id });
    expect(warnings).toEqual([
      { line: 8, message: 'its parent "TEE" is not among the rows before it: imported on its own, without the parent\'s values' },
    ]);
  });
});
