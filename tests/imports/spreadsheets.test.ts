import JSZip from "jszip";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { XLSX_CONTENT_TYPE } from "../../server/files/file-format.js";
import { xlsxWorkbook } from "../support/supplier-files.js";
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

async function uploadWorkbook(content: Buffer, filename = "products.xlsx", options: Record<string, string> = {}) {
  const form = new FormData();
  for (const [name, value] of Object.entries(options)) form.append(name, value);
  form.append("file", new Blob([new Uint8Array(content)], { type: XLSX_CONTENT_TYPE }), filename);
  const response = await fetch(`${app.url}/api/imports`, { method: "POST", body: form });
  const body = (await response.json()) as { id?: string; error?: string };
  if (response.status !== 202) return { status: response.status, body, item: null, rejected: [] };
  const item = await app.waitForImport(body.id!);
  const { items: rejected } = await app.api.imports.errors.query({ id: body.id!, pageSize: 200 });
  return { status: response.status, body, item, rejected };
}

describe("an .xlsx workbook", () => {
  it("imports like a CSV, its cells read as the text Excel shows, its row numbers as line numbers", async () => {
    const workbook = await xlsxWorkbook([
      {
        name: "Products",
        rows: [
          ["SKU", "Product name", "Description", "Active", "Price"],
          ["X-1", "Cup", "Made 2024-03-15", true, 12.5],
          [1002, "Mug", new Date(Date.UTC(2024, 2, 15)), false, 3],
          [],
          ["X-3", { formula: 'CONCAT("Pl","ate")', result: "Plate" }, { formula: "1+1", result: 2 }, "yes", 0],
          ["", "No SKU", "", "yes", 1],
        ],
        numFmts: [undefined, undefined, "yyyy-mm-dd", undefined, "0.00"],
      },
    ]);
    const { item, rejected } = await uploadWorkbook(workbook);
    expect(item).toMatchObject({ status: "completed", format: "xlsx", sheet: "Products", createdCount: 3, errorCount: 1, encoding: null });
    expect(await app.productsBySku()).toEqual([
      { sku: "1002", name: "Mug", description: "2024-03-15", active: false },
      { sku: "X-1", name: "Cup", description: "Made 2024-03-15", active: true },
      // The column's date format applies to the formula's result too, as Excel shows it.
      { sku: "X-3", name: "Plate", description: "1900-01-02", active: true },
    ]);
    expect(rejected).toEqual([expect.objectContaining({ line: 6, message: "sku is empty" })]);
  });

  it("reads the sheet asked for, by name or by number", async () => {
    const workbook = await xlsxWorkbook([
      { name: "Notes", rows: [["Read me first"]] },
      {
        name: "Catalog",
        rows: [
          ["sku", "name"],
          ["S-1", "Second sheet"],
        ],
      },
    ]);
    for (const sheet of ["Catalog", "2", "catalog"]) {
      const { item } = await uploadWorkbook(workbook, "two-sheets.xlsx", { sheet });
      expect(item, sheet).toMatchObject({ status: "completed", sheet: "Catalog", createdCount: 1 });
      await app.resetCatalog();
    }
    const wrong = await uploadWorkbook(workbook, "two-sheets.xlsx", { sheet: "Prices" });
    expect(wrong).toMatchObject({ status: 400, body: { error: 'sheet "Prices" is not in this workbook; its sheets are 1: "Notes", 2: "Catalog".' } });
  });

  it.each([
    [
      "an encrypted workbook or an old .xls",
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]),
      /password-protected workbook or an old \.xls file/,
    ],
    ["an empty file named .xlsx", Buffer.alloc(0), /The workbook is empty/],
    ["a text file named .xlsx", Buffer.from("sku,name\nx,y\n"), /named as an \.xlsx workbook but is not one/],
  ])("that is %s is refused with 400 saying so, nothing staged", async (_, content, message) => {
    const before = (await app.api.imports.list.query({})).total;
    const { status, body } = await uploadWorkbook(content);
    expect(status).toBe(400);
    expect(body.error).toMatch(message);
    expect((await app.api.imports.list.query({})).total).toBe(before);
  });

  it("that is a zip but no workbook, or is cut short, is refused with 400 saying so", async () => {
    const zip = new JSZip();
    zip.file("readme.txt", "not a workbook");
    const notWorkbook = await zip.generateAsync({ type: "nodebuffer" });
    expect((await uploadWorkbook(notWorkbook)).body.error).toMatch(/not an Excel workbook \(it has no xl\/workbook\.xml\)/);
    const whole = await xlsxWorkbook([
      {
        name: "Products",
        rows: [
          ["sku", "name"],
          ["c-1", "Cut"],
        ],
      },
    ]);
    const cut = await uploadWorkbook(whole.subarray(0, Math.floor(whole.length / 2)));
    expect(cut).toMatchObject({ status: 400, body: { error: expect.stringMatching(/damaged or incomplete/) } });
  });

  it("with an empty sheet is refused with 400", async () => {
    const { status, body } = await uploadWorkbook(await xlsxWorkbook([{ name: "Empty", rows: [] }]));
    expect(status).toBe(400);
    expect(body.error).toMatch(/empty/);
  });
});
