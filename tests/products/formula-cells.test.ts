import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import { importCsv, startTestApp, type TestApp } from "../support/test-app.js";

/** Text a spreadsheet would run as a formula, or that begins with the apostrophe that marks one. */
const TRICKY = ["=1+2", "+1", "-1", "@SUM(A1)", '=HYPERLINK("http://evil.example")', "'plain", "''=x", "'=x", "'", "- bullet"];

describe("formula cells", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app?.stop();
  });

  it("are exported marked, so no cell starts a formula, and importing the export gives back the very same values", async () => {
    const products = TRICKY.map((text, i) => ({ sku: i % 2 ? text : `sku-${i}`, name: text, description: `${"\t\r"[i % 2]}${text}` }));
    products.push({ sku: "@plain-sku", name: "Plain", description: "=cmd|' /C calc'!A0" });
    for (const product of products) await app.api.products.create.mutate(product);
    const before = await app.productsBySku();

    const response = await fetch(`${app.url}/api/products/export`);
    const csv = await response.text();
    const cells: string[][] = parse(csv);
    for (const cell of cells.flat()) expect(cell, "a cell a spreadsheet would run").not.toMatch(/^[=+\-@\t\r]/);
    expect(cells.find((row) => row[0] === "'@plain-sku")).toEqual(["'@plain-sku", "Plain", "'=cmd|' /C calc'!A0", "true", ...Array(8).fill("")]);

    await app.resetCatalog();
    const done = await importCsv(app, csv, "export.csv");
    expect(done).toMatchObject({ status: "completed", errorCount: 0, createdCount: products.length });
    expect(await app.productsBySku()).toEqual(before);
  });

  it("echoed in errors.csv are marked like the export's", async () => {
    const done = await importCsv(app, 'sku,name\n=rejected,\n"@x",=2+3\n', "formulas.csv");
    expect(done.errorCount).toBe(1);
    const rows: string[][] = parse(await (await fetch(`${app.url}/api/imports/${done.id}/errors.csv`)).text());
    expect(rows).toEqual([
      ["line", "message", "sku", "name"],
      ["2", "name is empty", "'=rejected", ""],
    ]);
  });
});
