import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { bigCommerceLegacyExport, magentoExport, shopifyRows, wooCommerceExport, type SupplierFile } from "../support/supplier-files.js";
import { startTestApp, type TestApp } from "../support/test-app.js";

/**
 * The typed commerce fields (CONTRACT.md "Typed fields") through the real upload API: read from a
 * generic file and from each platform's export, rejected with line and field, kept or cleared,
 * reviewed, undone, and exported and imported back unchanged.
 */

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.stop());
beforeEach(() => app.resetCatalog());

const FIELDS = ["price", "compareAtPrice", "stock", "barcode", "weightGrams", "brand", "category", "tags"] as const;
type Commerce = {
  price: string | null;
  compareAtPrice: string | null;
  stock: number | null;
  barcode: string | null;
  weightGrams: string | null;
  brand: string | null;
  category: string | null;
  tags: string[];
};
const NONE: Commerce = { price: null, compareAtPrice: null, stock: null, barcode: null, weightGrams: null, brand: null, category: null, tags: [] };

/** Uploads a file (options before it, as the Imports page sends them) and waits until it is applied, or held for review. */
async function upload(content: string | Buffer, options: Record<string, string> = {}, filename = "products.csv") {
  const response = await app.uploadCsv(content, filename, options);
  expect(response.status, response.body.error).toBe(202);
  const held = options.review === "1";
  return app.waitForImport(response.body.id, (item) => (held ? item.status === "review" : ["completed", "failed"].includes(item.status)));
}
const uploadFile = (file: SupplierFile, options: Record<string, string> = {}) => upload(file.content, options, file.filename);

async function rejected(id: string) {
  return (await app.api.imports.errors.query({ id, pageSize: 200 })).items.map((error) => [error.line, error.message]);
}

/** The catalog as the API shows it, by SKU. */
async function catalog() {
  const { items } = await app.api.products.list.query({ pageSize: 200, sort: "sku" });
  return Object.fromEntries(items.map((product) => [product.sku, product]));
}
/** Each product's commerce fields, by SKU. */
async function commerceBySku(): Promise<Record<string, Commerce>> {
  const products = await catalog();
  return Object.fromEntries(
    Object.entries(products).map(([sku, product]) => [sku, Object.fromEntries(FIELDS.map((field) => [field, product[field]])) as Commerce]),
  );
}

/** RFC 4180 quoting: only a cell holding a comma, a quote or a line break. */
const quoted = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
const csv = (header: string[], rows: string[][]) => [header, ...rows].map((cells) => cells.map(quoted).join(",")).join("\n") + "\n";

/** A platform's header line as the support file writes it (its BOM taken off). */
function headerLineOf(file: SupplierFile): string {
  const text = typeof file.content === "string" ? file.content : file.content.toString("utf8");
  return text.replace(/^\uFEFF/, "").split(/\r?\n/)[0]!;
}
const columnsOf = (headerLine: string) => (headerLine.match(/"[^"]*"|[^,]+/g) ?? []).map((name) => name.replace(/^"(.*)"$/, "$1"));

/** Rows by column name under a platform's real header line; a name the header lacks throws (a typo). */
function platformCsv(headerLine: string, rows: Record<string, string>[], eol = "\n"): string {
  const columns = columnsOf(headerLine);
  for (const row of rows) {
    const unknown = Object.keys(row).find((name) => !columns.includes(name));
    if (unknown) throw new Error(`no column "${unknown}" in this header`);
  }
  return [headerLine, ...rows.map((row) => columns.map((name) => quoted(row[name] ?? "")).join(","))].join(eol) + eol;
}

describe("a file of no platform", () => {
  it("has its columns matched by names and synonyms, its delimiter and its decimal comma read, and every field stored", async () => {
    const file = [
      "SKU;Bezeichnung;Preis;Bestand;EAN;Gewicht (kg);Marke;Kategorie;Tags",
      "T-1;Tasse;12,50;7;4006381333931;0,35;Nordlicht;Küche>Tassen;blau, Keramik, Blau",
      "T-2;Teller;1.234,56;-2;0012345678905;1,2;Maison Lumière;Küche > Teller;",
      "T-3;Löffel;0,5;;;;;;",
    ].join("\r\n");
    const done = await upload(file);
    expect(done).toMatchObject({ status: "completed", createdCount: 3, errorCount: 0 });
    const products = await catalog();
    expect(products["T-1"]).toMatchObject({
      name: "Tasse",
      price: "12.50",
      compareAtPrice: null,
      stock: 7,
      barcode: "4006381333931",
      weightGrams: "350",
      brand: "Nordlicht",
      category: "Küche > Tassen",
      tags: ["blau", "Keramik"],
    });
    expect(products["T-2"]).toMatchObject({
      price: "1234.56",
      stock: -2,
      barcode: "0012345678905",
      weightGrams: "1200",
      brand: "Maison Lumière",
      category: "Küche > Teller",
      tags: [],
    });
    expect(products["T-3"]).toMatchObject({ ...NONE, price: "0.50" });
    // products.get shows the same values as the list.
    expect(await app.api.products.get.query({ id: products["T-1"]!.id })).toEqual(products["T-1"]);
  });
});

describe("a weight column", () => {
  /** 2 of a unit in grams: exact decimal products, rounded half up to the milligram (1 lb = 453.59237 g). */
  const TWO = { kg: "2000", lb: "907.185", g: "2" };
  it.each([
    ["Weight (kg)", "kg"],
    ["Weight (lbs)", "lb"],
    ["Variant Grams", "g"],
    ["Weight value (grams)", "g"],
    ["weight_grams", "g"],
    ["Gewicht in kg", "kg"],
    ["weight", "g"],
  ] as const)("headed %j is read in %s and stored in grams", async (header, unit) => {
    const mapping = JSON.stringify({ sku: "sku", name: "name", weightGrams: header });
    await upload(csv(["sku", "name", header], [["w-1", "Weighed", "2"]]), { mapping });
    expect((await catalog())["w-1"]).toMatchObject({ weightGrams: TWO[unit] });
  });
});

describe("a platform's export", () => {
  /** A Shopify product of two variants (the second row leaves the product's columns blank) and a product of one. */
  const SHOPIFY_ROWS = [
    {
      ...{ Handle: "linen-shirt", Title: "Linen shirt", "Body (HTML)": "<p>Cool</p>", Vendor: "Nordlicht Textil", Type: "Shirts" },
      ...{ "Product Category": "Apparel & Accessories > Clothing > Shirts & Tops", Tags: "linen, summer, Linen", Published: "TRUE" },
      ...{ Status: "active", "Option1 Name": "Size", "Option1 Value": "S", "Variant SKU": "LS-S", "Variant Grams": "250" },
      ...{ "Variant Inventory Qty": "5", "Variant Price": "39.90", "Variant Compare At Price": "49.90", "Variant Barcode": "4006381333931" },
    },
    {
      ...{ Handle: "linen-shirt", "Option1 Value": "M", "Variant SKU": "LS-M", "Variant Grams": "260", "Variant Inventory Qty": "0" },
      ...{ "Variant Price": "41.00", "Variant Compare At Price": "", "Variant Barcode": "4006381333948" },
    },
    {
      ...{ Handle: "cap", Title: "Cap", Vendor: "Acme Supply Co.", "Product Category": "Apparel & Accessories > Clothing Accessories > Hats" },
      ...{ Type: "Hats", Tags: "", Published: "TRUE", Status: "active", "Option1 Name": "Title", "Option1 Value": "Default Title" },
      ...{ "Variant SKU": "CAP-1", "Variant Grams": "80", "Variant Inventory Qty": "-1", "Variant Price": "15" },
    },
  ];
  const SHIRT = { brand: "Nordlicht Textil", category: "Apparel & Accessories > Clothing > Shirts & Tops", tags: ["linen", "summer"] };

  it.each(["classic", "2024"] as const)(
    "from Shopify (%s columns) brings prices, compare-at prices, stock, barcodes, grams, vendor, category and tags; a variant takes its product's",
    async (format) => {
      const done = await uploadFile(shopifyRows(SHOPIFY_ROWS, format));
      expect(done).toMatchObject({ status: "completed", profile: "shopify", createdCount: 3, errorCount: 0 });
      expect(await commerceBySku()).toEqual({
        "CAP-1": {
          ...NONE,
          price: "15.00",
          stock: -1,
          weightGrams: "80",
          brand: "Acme Supply Co.",
          category: "Apparel & Accessories > Clothing Accessories > Hats",
        },
        "LS-M": { ...SHIRT, price: "41.00", compareAtPrice: null, stock: 0, barcode: "4006381333948", weightGrams: "260" },
        "LS-S": { ...SHIRT, price: "39.90", compareAtPrice: "49.90", stock: 5, barcode: "4006381333931", weightGrams: "250" },
      });
    },
  );

  it("from WooCommerce: a sale price is the price and the regular one the compare-at price, weight in kg as grams, the first category path", async () => {
    // WooCommerce 9.6+ writes a Brands column when the store uses brands.
    const header = `${headerLineOf(wooCommerceExport([]))},Brands`;
    const common = { Type: "simple", Published: "1", "Tax status": "taxable", "In stock?": "1" };
    const file = platformCsv(header, [
      {
        ...common,
        ...{ ID: "11", SKU: "W-1", Name: "Mug", "Regular price": "20.00", "Sale price": "15.50", Stock: "12", "Weight (kg)": "0.35" },
        ...{ Categories: "Kitchen > Mugs, Sale", Tags: "ceramic, blue", Brands: "Acme", "GTIN, UPC, EAN, or ISBN": "4006381333931" },
      },
      {
        ...common,
        ...{ ID: "12", SKU: "W-2", Name: "Plate", "Regular price": "9.99", "Sale price": "", Stock: "", "Weight (kg)": "2" },
        ...{ Categories: "Kitchen", Tags: "", Brands: "" },
      },
    ]);
    const done = await upload(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(file)]), {}, "wc-product-export-15-1-2024.csv");
    expect(done).toMatchObject({ status: "completed", profile: "woocommerce", createdCount: 2, errorCount: 0 });
    expect(await commerceBySku()).toEqual({
      "W-1": {
        price: "15.50",
        compareAtPrice: "20.00",
        stock: 12,
        barcode: "4006381333931",
        weightGrams: "350",
        brand: "Acme",
        category: "Kitchen > Mugs",
        tags: ["ceramic", "blue"],
      },
      "W-2": { ...NONE, price: "9.99", weightGrams: "2000", category: "Kitchen" },
    });
  });

  it("from Magento: special_price is the price, price the compare-at one, qty the stock, the first category without its root", async () => {
    const common = { store_view_code: "", attribute_set_code: "Default", product_type: "simple", product_online: "1", visibility: "Catalog, Search" };
    const file = platformCsv(headerLineOf(magentoExport([])), [
      {
        ...common,
        ...{ sku: "MG-1", name: "Duffle", price: "80.000000", special_price: "64.000000", qty: "25.0000" },
        categories: "Default Category/Gear,Default Category/Gear/Bags",
      },
      { ...common, sku: "MG-2", name: "Strap", price: "19.500000", special_price: "", qty: "0.0000", categories: "Default Category/Gear/Bags" },
    ]);
    const done = await upload(file, {}, "catalog_product_20240115_093000.csv");
    expect(done).toMatchObject({ status: "completed", profile: "magento", createdCount: 2, errorCount: 0 });
    expect(await commerceBySku()).toEqual({
      "MG-1": { ...NONE, price: "64.00", compareAtPrice: "80.00", stock: 25, category: "Gear" },
      "MG-2": { ...NONE, price: "19.50", stock: 0, category: "Gear > Bags" },
    });
  });

  it("from BigCommerce (legacy): a Sale Price of 0.00 is none, Retail Price the compare-at price, the first category", async () => {
    const common = { "Item Type": "Product", "Product Type": "P", "Product Visible?": "Y", "Cost Price": "0.00" };
    const file = platformCsv(
      headerLineOf(bigCommerceLegacyExport([])),
      [
        {
          ...common,
          ...{ "Product Name": "Tote", "Product Code/SKU": "BC-1", Price: "30.00", "Sale Price": "0.00", "Retail Price": "35.00" },
          ...{ "Current Stock Level": "4", "Brand Name": "Acme", Category: "Shop All/Bags;Sale", "Product UPC/EAN": "0012345678905" },
        },
        {
          ...common,
          ...{ "Product Name": "Backpack", "Product Code/SKU": "BC-2", Price: "50.00", "Sale Price": "40.00", "Retail Price": "55.00" },
          ...{ "Current Stock Level": "0", "Brand Name": "", Category: "Sale" },
        },
      ],
      "\r\n",
    );
    const done = await upload(file, {}, "products-2024-01-15.csv");
    expect(done).toMatchObject({ status: "completed", profile: "bigcommerce", createdCount: 2, errorCount: 0 });
    expect(await commerceBySku()).toEqual({
      "BC-1": { ...NONE, price: "30.00", compareAtPrice: "35.00", stock: 4, barcode: "0012345678905", brand: "Acme", category: "Shop All > Bags" },
      "BC-2": { ...NONE, price: "40.00", compareAtPrice: "50.00", stock: 0, category: "Sale" },
    });
  });
});

describe("a value that does not read as its field", () => {
  it("rejects its row with the line, the field and the value; the other rows apply", async () => {
    const done = await upload(
      [
        "sku,name,price,stock,barcode", // 1
        "ok-1,Fine,12.50,3,111", // 2
        "bad-1,Word,abc,1,222", // 3
        "bad-2,Negative,-5,1,333", // 4
        "bad-3,Stockless,1.00,lots,444", // 5
        "bad-4,Half,1.00,2.5,555", // 6
        "bad-5,Mangled,1.00,1,4.00638E+12", // 7
        "ok-2,Also fine,3,0,", // 8
      ].join("\n") + "\n",
    );
    expect(done).toMatchObject({ status: "completed", createdCount: 2, errorCount: 5 });
    expect(await rejected(done.id)).toEqual([
      [3, 'price "abc" is not a number'],
      [4, 'price "-5" is negative; a price is 0 or more'],
      [5, 'stock "lots" is not a number'],
      [6, 'stock "2.5" is not a whole number'],
      [7, expect.stringMatching(/^barcode "4\.00638E\+12" .*scientific notation/)],
    ]);
    expect(Object.keys(await catalog())).toEqual(["ok-1", "ok-2"]);
    expect((await catalog())["ok-2"]).toMatchObject({ price: "3.00", stock: 0, barcode: null });
  });

  it("names the file's own column when it is not the field's name", async () => {
    const done = await upload("Artikelnummer;Bezeichnung;Preis\nA-1;Eins;12,50\nA-2;Zwei;zwölf\n");
    expect(await rejected(done.id)).toEqual([[3, 'price ("Preis") "zwölf" is not a number (this file writes decimals with a comma)']]);
    expect((await catalog())["A-1"]).toMatchObject({ price: "12.50" });
  });
});

describe("what a file leaves out or leaves empty", () => {
  const SEEDED = {
    price: "10.00",
    compareAtPrice: "12.00",
    stock: 5,
    barcode: "111",
    weightGrams: "250",
    brand: "Acme",
    category: "A > B",
    tags: ["x", "y z"],
  };
  const HEADER = ["sku", "name", "price", "compare_at_price", "stock", "barcode", "weight_grams", "brand", "category", "tags"];
  const seed = () => upload(csv(HEADER, [["p-1", "One", "10.00", "12.00", "5", "111", "250", "Acme", "A>B", "x, y z"]]));

  it("a column the file does not have leaves that field as it is", async () => {
    await seed();
    expect((await commerceBySku())["p-1"]).toEqual(SEEDED);
    await upload("sku,name,price\np-1,One,11.00\n");
    expect((await commerceBySku())["p-1"]).toEqual({ ...SEEDED, price: "11.00" });
  });

  it("an empty cell clears the field (no tags: [])", async () => {
    await seed();
    const done = await upload(csv(HEADER, [["p-1", "One", "", "", "", "", "", "", "", ""]]));
    expect(done).toMatchObject({ updatedCount: 1, unchangedCount: 0 });
    expect((await commerceBySku())["p-1"]).toEqual(NONE);
  });

  it("with emptyCells=keep an empty cell keeps the stored value, tags included, and a filled one still writes", async () => {
    await seed();
    const done = await upload(csv(HEADER, [["p-1", "One", "", "", "", "", "", "Other", "", ""]]), { emptyCells: "keep" });
    expect(done).toMatchObject({ updatedCount: 1, unchangedCount: 0 });
    expect((await commerceBySku())["p-1"]).toEqual({ ...SEEDED, brand: "Other" });
    const again = await upload(csv(HEADER, [["p-1", "One", "", "", "", "", "", "", "", ""]]), { emptyCells: "keep" });
    expect(again).toMatchObject({ updatedCount: 1, unchangedCount: 1 });
    expect((await commerceBySku())["p-1"]).toEqual({ ...SEEDED, brand: "Other" });
  });
});

describe("the decimalSeparator option", () => {
  const FILE = 'sku,name,price\nd-1,D,"1,234"\n';

  it.each([
    [",", "1.234"],
    [".", "1234.00"],
    ["auto", "1234.00"],
  ])("%s reads 1,234 as %s", async (decimalSeparator, price) => {
    await upload(FILE, { decimalSeparator });
    expect((await catalog())["d-1"]).toMatchObject({ price });
  });

  it("forces the reading: a point with ',' chosen is a thousands mark, a comma with '.' chosen rejects the row", async () => {
    await upload("sku,name,price\nc-1,C,1.250\n", { decimalSeparator: "," });
    expect((await catalog())["c-1"]).toMatchObject({ price: "1250.00" });
    const done = await upload('sku,name,price\nc-2,C,"12,50"\n', { decimalSeparator: "." });
    expect(await rejected(done.id)).toEqual([[2, 'price "12,50" is not a number']]);
  });

  it("left to auto, is not decided by a value that is no number: a typo in one row does not reject the rows after it", async () => {
    const done = await upload("sku,name,price\nt-1,Typo,12.50.3\nt-2,Fine,9.99\nt-3,Also fine,19.90\n");
    expect(await rejected(done.id)).toEqual([[2, expect.stringMatching(/^price "12\.50\.3" is not a number/)]]);
    expect(await commerceBySku()).toEqual({ "t-2": { ...NONE, price: "9.99" }, "t-3": { ...NONE, price: "19.90" } });
  });

  it.each([
    ["decimalSeparator", ";"],
    ["emptyCells", "erase"],
  ])("%s=%s is refused with 400 naming the option, and nothing is imported", async (option, given) => {
    const response = await app.uploadCsv("sku,name,price\nz-1,Z,1.00\n", "products.csv", { [option]: given });
    expect(response.status).toBe(400);
    expect(response.body.error).toContain(option);
    expect(response.body.error).toContain(given);
    expect(await catalog()).toEqual({});
  });
});

describe("the review", () => {
  it("counts each field's changes, warns of halved prices, products out of stock and emptied barcodes, and lists before → after", async () => {
    const stored = [
      { sku: "r-1", price: "100.00", stock: 10, barcode: "111" },
      { sku: "r-2", price: "20.00", stock: 5, barcode: "222" },
      { sku: "r-3", price: "8.00", stock: 0, barcode: "333" },
      { sku: "r-4", price: "5.00", stock: 3, barcode: "444" },
      { sku: "r-5", price: "30.00", stock: 2, barcode: "555" },
    ];
    const file = [
      { sku: "r-1", price: "40.00", stock: 10, barcode: "111" },
      { sku: "r-2", price: "20.00", stock: 0, barcode: null },
      { sku: "r-3", price: "8.00", stock: 0, barcode: "333" },
      { sku: "r-4", price: "2.40", stock: -1, barcode: "444" },
      { sku: "r-5", price: "16.00", stock: 2, barcode: "556" },
      { sku: "r-6", price: "1.00", stock: 0, barcode: null },
    ];
    const asCsv = (rows: typeof file) =>
      csv(
        ["sku", "name", "price", "stock", "barcode"],
        rows.map((row) => [row.sku, `Name ${row.sku}`, row.price, String(row.stock), row.barcode ?? ""]),
      );
    await upload(asCsv(stored));
    const held = await upload(asCsv(file), { review: "1" });

    // The expectations, from the two lists.
    const before = new Map(stored.map((row) => [row.sku, row]));
    const updates = file.filter(
      (row) => before.has(row.sku) && (["price", "stock", "barcode"] as const).some((f) => before.get(row.sku)![f] !== row[f]),
    );
    const changedOf = (field: "price" | "stock" | "barcode") => updates.filter((row) => before.get(row.sku)![field] !== row[field]).length;
    const halved = updates.filter((row) => Number(row.price) < Number(before.get(row.sku)!.price) / 2).length;
    const outOfStock = updates.filter((row) => before.get(row.sku)!.stock > 0 && row.stock <= 0).length;
    const emptied = updates.filter((row) => before.get(row.sku)!.barcode !== null && row.barcode === null).length;
    expect([updates.length, halved, outOfStock, emptied]).toEqual([4, 2, 2, 1]);

    const review = await app.api.imports.review.query({ id: held.id });
    expect(review).toMatchObject({
      created: 1,
      updated: updates.length,
      unchanged: stored.length - updates.length,
      changed: { sku: 0, name: 0, price: changedOf("price"), stock: changedOf("stock"), barcode: changedOf("barcode"), compareAtPrice: 0, tags: 0 },
    });
    expect(review.warnings).toEqual(
      expect.arrayContaining([
        `${halved} prices fall by more than half.`,
        `${outOfStock} products go out of stock.`,
        `${emptied} barcode would become empty.`,
      ]),
    );

    const changes = await app.api.imports.changes.query({ id: held.id, kind: "update", pageSize: 50 });
    expect(changes.total).toBe(updates.length);
    const r2 = changes.items.find((item) => item.sku === "r-2")!;
    expect(r2.changedFields).toEqual(["stock", "barcode"]);
    expect(r2.before).toMatchObject({ price: "20.00", stock: 5, barcode: "222" });
    expect(r2.after).toMatchObject({ price: "20.00", stock: 0, barcode: null });
    const r4 = changes.items.find((item) => item.sku === "r-4")!;
    expect(r4).toMatchObject({ changedFields: ["price", "stock"], before: { price: "5.00", stock: 3 }, after: { price: "2.40", stock: -1 } });
    const created = await app.api.imports.changes.query({ id: held.id, kind: "create" });
    expect(created.items).toEqual([
      expect.objectContaining({ sku: "r-6", before: null, after: expect.objectContaining({ price: "1.00", stock: 0 }) }),
    ]);
    // Nothing is applied while in review.
    expect((await commerceBySku())["r-1"]).toMatchObject({ price: "100.00" });
  });
});

describe("an undo", () => {
  it("gives every commerce field of the products the import changed its earlier value back, and removes the ones it created", async () => {
    const HEADER = ["sku", "name", "price", "compare_at_price", "stock", "barcode", "weight_grams", "brand", "category", "tags"];
    await upload(
      csv(HEADER, [
        ["u-1", "One", "10.5", "12", "5", "0012345678905", "250.125", "Acme", "Home>Kitchen", "red, Blue sky"],
        ["u-2", "Two", "", "", "", "", "", "", "", ""],
        ["u-3", "Three", "7", "", "-2", "333", "1", "Other", "Garden", "green"],
      ]),
    );
    const before = await commerceBySku();
    const done = await upload(
      csv(HEADER, [
        ["u-1", "One", "", "", "", "", "", "", "", ""],
        ["u-2", "Two", "99.9999", "100", "1", "222", "0.5", "New brand", "X > Y", "a, b"],
        ["u-3", "Three", "7", "", "-2", "333", "1", "Other", "Garden", "green"],
        ["u-4", "Four", "1", "2", "3", "444", "5", "B", "C", "d"],
      ]),
    );
    expect(done).toMatchObject({ createdCount: 1, updatedCount: 3, unchangedCount: 1 });
    expect((await commerceBySku())["u-2"]).toMatchObject({ price: "99.9999", tags: ["a", "b"] });
    const undone = await app.api.imports.revert.mutate({ id: done.id });
    expect(undone.import).toMatchObject({ status: "reverted" });
    expect(await commerceBySku()).toEqual(before);
  });
});

describe("the export", () => {
  it("writes every field, and importing it back changes nothing", async () => {
    const HEADER = ["sku", "name", "description", "price", "compare_at_price", "stock", "barcode", "weight_grams", "brand", "category", "tags"];
    const rows = [
      [
        "e-1",
        "Mug",
        'A "big" mug, blue',
        "12.3456",
        "20",
        "-3",
        "0012345678905",
        "350.5",
        "Acme, Inc.",
        "Home > Kitchen > Mugs",
        "new arrival, Summer sale",
      ],
      ["e-2", "Bare", "", "", "", "", "", "", "", "", ""],
      ["e-3", "Plate", "Line one\nline two", "0", "0.01", "0", "4006381333931", "0.001", "Maison Lumière", "Home", "plates"],
      ["e-4", "Bowl", "", "1234567.5", "", "2147483647", "", "1000000", "", "A>B>C", "x,y, z , X"],
      // Text a spreadsheet would run as a formula: marked in the export, read back as it was.
      ["e-5", "Jug", "", "1", "", "-2147483648", "=1+2", "", "=Maison", "+Home > @Kitchen", "-sale, @new, =x"],
    ];
    await upload(csv(HEADER, rows));
    const before = await catalog();
    expect(before["e-4"]).toMatchObject({ price: "1234567.50", category: "A > B > C", tags: ["x", "y", "z"] });
    expect(before["e-5"]).toMatchObject({ barcode: "=1+2", brand: "=Maison", category: "+Home > @Kitchen", tags: ["-sale", "@new", "=x"] });

    const response = await fetch(`${app.url}/api/products/export`);
    expect(response.status).toBe(200);
    const exported = await response.text();
    expect(exported.split("\n")[0]).toBe("sku,name,description,active,price,compare_at_price,stock,barcode,weight_grams,brand,category,tags");
    const back = await upload(exported, {}, "export.csv");
    expect(back).toMatchObject({ status: "completed", createdCount: 0, updatedCount: rows.length, unchangedCount: rows.length, errorCount: 0 });
    expect(await rejected(back.id)).toEqual([]);
    expect(await catalog()).toEqual(before);
  });
});
