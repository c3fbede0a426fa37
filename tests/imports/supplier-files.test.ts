import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  bigCommerceExport,
  bigCommerceLegacyExport,
  dialectCsv,
  magentoExport,
  shopifyClassicExport,
  shopifyExport,
  wooCommerceExport,
  type SupplierFile,
  type SupplierProduct,
} from "../support/supplier-files.js";
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
});

const PRODUCTS: SupplierProduct[] = [
  {
    sku: "TEE-1",
    name: "Organic tee",
    description: 'Soft, "combed" cotton\nwith <b>HTML</b> – café €',
    active: true,
    variants: [
      { sku: "TEE-1-M", option: "M" },
      { sku: "TEE-1-L", option: "L" },
    ],
  },
  { sku: "CAP-1", name: "Wool cap", description: "Warm", active: false },
  { sku: "-BAG-1", name: "Tote", description: "Canvas", active: true },
];
const TEE = PRODUCTS[0]!;
/** Its description as the list shows it: the HTML's text. */
const TEE_TEXT = 'Soft, "combed" cotton with HTML – café €';

/** Uploads a file (multipart, with options before the file) and waits for it to settle. */
async function upload(file: SupplierFile | { content: string | Buffer; filename: string }, options: Record<string, string> = {}) {
  const form = new FormData();
  for (const [name, value] of Object.entries(options)) form.append(name, value);
  form.append("file", new Blob([typeof file.content === "string" ? file.content : new Uint8Array(file.content)]), file.filename);
  const response = await fetch(`${app.url}/api/imports`, { method: "POST", body: form });
  const body = (await response.json()) as { id?: string; error?: string; suggestedMapping?: Record<string, string> };
  if (response.status !== 202) return { status: response.status, body, item: null, rejected: [] };
  const item = await app.waitForImport(body.id!);
  const { items: rejected } = await app.api.imports.errors.query({ id: body.id!, pageSize: 200 });
  return { status: response.status, body, item, rejected };
}

const bySku = async () => Object.fromEntries((await app.productsBySku()).map((product) => [product.sku, product]));

describe("a platform's product export", () => {
  it.each([
    ["classic", shopifyClassicExport],
    ["2024", shopifyExport],
  ])("from Shopify (%s columns) makes a product of every variant, named, described and activated from its product's first row", async (_, make) => {
    const { item, rejected } = await upload(make(PRODUCTS));
    expect(item).toMatchObject({ status: "completed", profile: "shopify", createdCount: 5, errorCount: 0, skippedCount: 0, foldedCount: 1 });
    const catalog = await bySku();
    for (const sku of ["TEE-1", "TEE-1-M", "TEE-1-L"])
      expect(catalog[sku]).toEqual({ sku, name: TEE.name, description: TEE.description, active: true });
    expect(catalog["CAP-1"]).toMatchObject({ name: "Wool cap", active: false });
    expect(catalog["-BAG-1"]).toMatchObject({ name: "Tote", active: true });
    expect(rejected, "its image-only row is folded into its product, not rejected").toEqual([]);
    expect(item!.skippedReasons).toEqual([]);
  });

  it("from WooCommerce reads Published 1 / 0 / -1 (also written '-1), its BOM, and its escaped line breaks", async () => {
    const { item } = await upload(wooCommerceExport(PRODUCTS));
    // The variable parent is no product of its own: its description goes to its variations.
    expect(item).toMatchObject({ status: "completed", profile: "woocommerce", createdCount: 4, foldedCount: 1, errorCount: 0 });
    const catalog = await bySku();
    expect(catalog["TEE-1"]).toBeUndefined();
    expect(catalog["TEE-1-M"]).toEqual({ sku: "TEE-1-M", name: "Organic tee - M", description: TEE.description, active: true });
    expect(catalog["CAP-1"]).toMatchObject({ active: false });
    expect(catalog["-BAG-1"], "the exporter's formula mark is taken off").toMatchObject({ name: "Tote" });
  });

  /** Each product's group and options, by SKU. */
  const variantsBySku = async () =>
    Object.fromEntries(
      (await app.api.products.list.query({ pageSize: 200 })).items.map((product) => [
        product.sku,
        { group: product.group, options: product.options },
      ]),
    );
  const TEE_VARIANTS = {
    "TEE-1-M": { group: "TEE-1", options: [{ name: "Size", value: "M" }] },
    "TEE-1-L": { group: "TEE-1", options: [{ name: "Size", value: "L" }] },
    "CAP-1": { group: null, options: [] },
    "-BAG-1": { group: null, options: [] },
  };

  it("from Magento reads product_online 1 / 2, skips store-view rows, saying so, and groups a configurable product's children", async () => {
    const { item, rejected } = await upload(magentoExport(PRODUCTS));
    // The configurable row is no product of its own: the children it names are, grouped under its SKU.
    expect(item).toMatchObject({ status: "completed", profile: "magento", createdCount: 4, foldedCount: 1, errorCount: 0, skippedCount: 1 });
    const catalog = await bySku();
    expect(catalog["TEE-1"]).toBeUndefined();
    expect(catalog["TEE-1-L"]).toMatchObject({ name: "Organic tee-L", active: true });
    expect(catalog["CAP-1"]).toMatchObject({ active: false });
    expect(await variantsBySku()).toEqual(TEE_VARIANTS);
    expect(rejected).toEqual([]);
    expect(item!.skippedReasons).toEqual([
      expect.objectContaining({ reason: 'a store-view row (store_view_code "de"): only each product\'s default row is imported', count: 1 }),
    ]);
  });

  it("from BigCommerce (current export) makes a product row with variants their group, its values theirs, and skips image rows", async () => {
    const { item, rejected } = await upload(bigCommerceExport(PRODUCTS));
    // The product row of the tee is no product of its own: its variants are.
    expect(item).toMatchObject({ status: "completed", profile: "bigcommerce", createdCount: 4, foldedCount: 1, errorCount: 0, skippedCount: 3 });
    const catalog = await bySku();
    expect(catalog["TEE-1"]).toBeUndefined();
    expect(catalog["TEE-1-M"]).toEqual({ sku: "TEE-1-M", name: TEE.name, description: TEE.description, active: true });
    expect(catalog["CAP-1"]).toMatchObject({ active: false });
    expect(await variantsBySku()).toEqual(TEE_VARIANTS);
    expect(rejected).toEqual([]);
    expect(item!.skippedReasons).toEqual([expect.objectContaining({ reason: "an image row, not a product", count: 3 })]);
  });

  it("from BigCommerce (legacy Bulk Edit) groups SKU rows under their product row, options read from their names, and skips rule rows", async () => {
    const { item, rejected } = await upload(bigCommerceLegacyExport(PRODUCTS));
    expect(item).toMatchObject({ status: "completed", profile: "bigcommerce", createdCount: 4, foldedCount: 1, errorCount: 0, skippedCount: 1 });
    const catalog = await bySku();
    expect(catalog["TEE-1-M"]).toMatchObject({ name: "Organic tee (Size: M)", description: TEE.description, active: true });
    expect(catalog["CAP-1"]).toMatchObject({ active: false });
    expect(await variantsBySku()).toEqual(TEE_VARIANTS);
    expect(rejected).toEqual([]);
    expect(item!.skippedReasons).toEqual([expect.objectContaining({ reason: "a pricing rule row, not a product", count: 1 })]);
  });

  it("keeps the flag of a product whose row leaves its status empty", async () => {
    await app.api.products.create.mutate({ sku: "KEEP-1", name: "Kept", active: false });
    const file = "ID,Type,SKU,Name,Published,Description\n1,simple,KEEP-1,Kept again,,Text\n2,simple,NEW-1,New,,Text\n";
    const { item } = await upload({ content: file, filename: "woo.csv" });
    expect(item).toMatchObject({ status: "completed", profile: "woocommerce", createdCount: 1, updatedCount: 1 });
    expect(await bySku()).toMatchObject({ "KEEP-1": { name: "Kept again", active: false }, "NEW-1": { active: true } });
  });
});

describe("our own columns in another dialect", () => {
  const ROWS = [
    { sku: "D-1", name: "Größe M", description: 'Preis 12,50 € – "Zitat"; mit Semikolon', active: "yes" },
    { sku: "D-2", name: "Crème brûlée", description: "Line one\nline two", active: "no" },
  ];
  it.each([
    [",", "utf-8", "\n"],
    [";", "windows-1252", "\r\n"],
    ["\t", "utf-8-bom", "\r\n"],
    ["|", "utf-16le", "\n"],
    [";", "utf-16be", "\r"],
  ] as const)("delimiter %j in %s is read as written", async (delimiter, encoding, lineEnding) => {
    const { item } = await upload({ content: dialectCsv(ROWS, { delimiter, encoding, lineEnding }), filename: "dialect.csv" });
    expect(item).toMatchObject({ status: "completed", createdCount: 2, errorCount: 0, delimiter, encoding: encoding.replace("-bom", "") });
    expect(await app.productsBySku()).toEqual([
      { sku: "D-1", name: "Größe M", description: ROWS[0]!.description, active: true },
      { sku: "D-2", name: "Crème brûlée", description: "Line one\nline two", active: false },
    ]);
  });

  it("can be told what to read, overriding what would be detected", async () => {
    const content = Buffer.from("sku;name\nO-1;Plain\n");
    const { item } = await upload({ content, filename: "o.csv" }, { delimiter: ";", encoding: "windows-1252" });
    expect(item).toMatchObject({ status: "completed", delimiter: ";", encoding: "windows-1252", createdCount: 1 });
  });

  it("changing dialect half-way is read as detected, its other rows rejected with their lines", async () => {
    const { item, rejected } = await upload({ content: "sku,name\nh-1,Fine\nh-2;Semicolon\nh-3,Fine again\n", filename: "half.csv" });
    expect(item).toMatchObject({ status: "completed", delimiter: ",", createdCount: 2, errorCount: 1 });
    expect(rejected).toEqual([expect.objectContaining({ line: 3, message: "expected 2 fields but found 1" })]);
  });

  it("whose encoding cannot be told is read row by row, the undecodable rows rejected, nothing mangled", async () => {
    const cyrillic = Buffer.concat([Buffer.from("sku;name\nc-1;Plain\nc-2;"), Buffer.from([0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2]), Buffer.from("\n")]);
    const { item, rejected } = await upload({ content: cyrillic, filename: "cp1251.csv" });
    expect(item).toMatchObject({ status: "completed", createdCount: 1, errorCount: 1 });
    expect(rejected[0]).toMatchObject({ line: 3, message: "name is not valid UTF-8 text (save the file as UTF-8)" });
  });
});

describe("column mappings", () => {
  const FILE = { content: "Code;Label;Text;Online\nm-1;First;One;yes\nm-2;Second;Two;no\n", filename: "mapped.csv" };

  it("a file without the columns is refused with the mapping it would suggest, and nothing staged", async () => {
    const { status, body } = await upload(FILE);
    expect(status).toBe(400);
    expect(body.error).toMatch(/^The header must name the columns sku and name; sku and name are missing/);
    expect(body.suggestedMapping).toEqual({ active: "Online" });
    expect(await app.products()).toEqual([]);
  });

  it("chosen on upload is remembered for the header, offered by imports.inspect and used again without asking", async () => {
    const mapping = { sku: "Code", name: "Label", description: "Text", active: "Online" };
    const first = await upload(FILE, { mapping: JSON.stringify(mapping) });
    expect(first.item).toMatchObject({ status: "completed", createdCount: 2, mapping, mappingSource: "chosen" });
    const saved = await app.api.mappings.list.query({});
    expect(saved).toEqual([expect.objectContaining({ header: ["Code", "Label", "Text", "Online"], mapping })]);

    const inspection = await app.api.imports.inspect.query({ sample: Buffer.from(FILE.content).toString("base64"), filename: "again.csv" });
    expect(inspection).toMatchObject({ mappingSource: "saved", savedFor: "header", mapping, readAs: "UTF-8, semicolon-separated" });

    const again = await upload({ ...FILE, content: "Code;Label;Text;Online\nm-3;Third;Three;yes\n" });
    expect(again.item).toMatchObject({ status: "completed", createdCount: 1, mappingSource: "saved" });

    await app.api.mappings.delete.mutate({ id: saved[0]!.id });
    expect(await app.api.mappings.list.query({})).toEqual([]);
    expect((await upload(FILE)).status, "forgotten: refused again").toBe(400);
  });

  it.each([
    [{ mapping: '{"sku":"Code","name":"Missing"}' }, 'mapping: name names the column "Missing", which the file does not have'],
    [{ mapping: '{"sku":"Code","name":"Code"}' }, 'mapping: sku and name both name the column "Code"'],
    [{ mapping: '{"sku":"Code"}' }, "mapping: name has no column"],
    [{ mapping: "[1]" }, "mapping must be a JSON object"],
    [{ profile: "etsy" }, 'profile "etsy" is not one this importer knows'],
    [{ encoding: "ebcdic" }, 'encoding "ebcdic" is not one this importer reads'],
    [{ delimiter: ":" }, 'delimiter ":" is not one of'],
  ])("with bad options %j is refused with 400 naming the problem, nothing staged", async (options, message) => {
    const before = (await app.api.imports.list.query({})).total;
    const { status, body } = await upload(FILE, options);
    expect(status).toBe(400);
    expect(body.error).toContain(message);
    expect((await app.api.imports.list.query({})).total).toBe(before);
  });
});

describe("imports.inspect", () => {
  it("shows a Shopify file's mapping and its first rows as they will be imported, carried over by handle", async () => {
    const file = shopifyClassicExport(PRODUCTS);
    const inspection = await app.api.imports.inspect.query({
      sample: Buffer.from(file.content).toString("base64"),
      filename: file.filename,
      wholeFile: true,
    });
    expect(inspection).toMatchObject({
      format: "csv",
      encoding: "utf-8",
      delimiter: ",",
      profile: "shopify",
      mappingSource: "profile",
      missing: [],
      problem: null,
    });
    expect(inspection.mapping).toEqual({
      sku: "Variant SKU",
      name: "Title",
      description: "Body (HTML)",
      active: "Status",
      price: "Variant Price",
      compareAtPrice: "Variant Compare At Price",
      stock: "Variant Inventory Qty",
      barcode: "Variant Barcode",
      weightGrams: "Variant Grams",
      brand: "Vendor",
      category: "Product Category",
      tags: "Tags",
      group: "Handle",
      option1Name: "Option1 Name",
      option1Value: "Option1 Value",
      option2Name: "Option2 Name",
      option2Value: "Option2 Value",
      option3Name: "Option3 Name",
      option3Value: "Option3 Value",
      images: "Image Src",
    });
    // Each variant as it will be imported: named and described from its product's first row.
    const variantRow = (line: number, sku: string) => ({
      line,
      sku,
      name: TEE.name,
      description: TEE.description,
      descriptionText: TEE_TEXT,
      active: true,
      problem: null,
      skipped: null,
      madeSku: false,
    });
    expect(inspection.preview.slice(0, 3)).toEqual([variantRow(2, "TEE-1"), variantRow(4, "TEE-1-M"), variantRow(5, "TEE-1-L")]);
    const changed = await app.api.imports.inspect.query({
      sample: Buffer.from(file.content).toString("base64"),
      mapping: { sku: "Variant SKU", name: "Handle" },
      profile: "shopify",
    });
    expect(changed.preview[0]).toMatchObject({ sku: "TEE-1", name: "organic-tee" });
  });

  it("answers POSTed too, for a sample too large for a URL", async () => {
    const sample = Buffer.from(`sku,name\n${"p-1,Padded\n".repeat(4000)}`)
      .subarray(0, 40_000)
      .toString("base64");
    const response = await fetch(`${app.url}/api/trpc/imports.inspect`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sample }),
    });
    expect(response.status).toBe(200);
    const { result } = (await response.json()) as { result: { data: { header: string[]; rows: string[][] } } };
    expect(result.data.header).toEqual(["sku", "name"]);
    expect(result.data.rows).toHaveLength(20);
  });
});
