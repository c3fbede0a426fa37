import { sql } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { importCsv, refusalOf, startTestApp, type TestApp } from "../support/test-app.js";
import { SUPPLIER_FILE as FILE } from "../support/rejected-rows-file.js";

/**
 * Fixing rejected rows where they are shown (issue "Fix rejected rows"): the rejected rows as a
 * grid of the file's own columns with the cell at fault, edited and checked again with the
 * importer's rules, replaced across a column, left out.
 */

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.stop());
beforeEach(() => app.resetCatalog());

/** Line 7 is rejected too (a second price with a unit): replaced with line 3 in one go. */
const SUPPLIER_FILE = `${FILE}\nSüd,P-3,Another unit,9.99 €/Stk,1`;

async function importWithRejections() {
  const item = await importCsv(app, SUPPLIER_FILE, "supplier.csv");
  expect(item).toMatchObject({ status: "completed", createdCount: 1, errorCount: 5 });
  return item.id;
}

describe("imports.rejectedRows", () => {
  it("lists the rejected rows by line in the file's columns, mapped ones first, with the cell at fault", async () => {
    const id = await importWithRejections();
    const grid = await app.api.imports.rejectedRows.query({ id });
    expect(grid.columns).toEqual(["sku", "name", "price", "stock", "Lieferant"]);
    expect(grid.total).toBe(5);
    expect(grid.items.map((row) => row.line)).toEqual([3, 4, 5, 6, 7]);
    expect(grid.items[0]).toMatchObject({
      line: 3,
      cells: { Lieferant: "Nord", sku: "P-1", name: "Price with unit", price: "12.50 €/Stk", stock: "4" },
      errors: [{ column: "price", message: expect.stringContaining('price "12.50 €/Stk"') }],
      fixed: false,
    });
    expect(grid.items[2]!.errors).toEqual([{ column: "stock", message: expect.stringContaining('"n/a"') }]);
    expect(grid.items[3]!.errors).toEqual([{ column: "name", message: "name is empty" }]);
  });

  it("filters to the rows with a given problem", async () => {
    const id = await importWithRejections();
    const priced = await app.api.imports.rejectedRows.query({ id, message: "price" });
    expect(priced.items.map((row) => row.line)).toEqual([3, 4, 7]);
    expect(priced.total).toBe(3);
  });
});

describe("imports.fixRows", () => {
  it("checks a row again with the importer's rules: its message goes away, or changes", async () => {
    const id = await importWithRejections();
    const { items } = await app.api.imports.fixRows.mutate({
      id,
      rows: [
        { line: 3, cells: { price: "12.50" } },
        { line: 5, cells: { stock: "many" } },
      ],
    });
    expect(items[0]).toMatchObject({ line: 3, fixed: true, errors: [], edited: true, overwrote: false });
    expect(items[1]).toMatchObject({ line: 5, fixed: false, errors: [{ column: "stock", message: expect.stringContaining('"many"') }] });
    // Kept on the import: a reload sees them.
    const grid = await app.api.imports.rejectedRows.query({ id });
    expect(grid.items.find((row) => row.line === 3)).toMatchObject({ fixed: true, cells: { price: "12.50" } });
    expect(grid.fixedCount).toBe(1);
  });

  it("says when a save overwrote someone else's, and the later save wins", async () => {
    const id = await importWithRejections();
    const [row] = (await app.api.imports.rejectedRows.query({ id })).items;
    await app.api.imports.fixRows.mutate({ id, rows: [{ line: 3, cells: { price: "12.40" }, revision: row!.revision }] });
    const { items } = await app.api.imports.fixRows.mutate({ id, rows: [{ line: 3, cells: { price: "12.50" }, revision: row!.revision }] });
    expect(items[0]).toMatchObject({ overwrote: true, cells: { price: "12.50" } });
  });

  it("refuses a line that was not rejected, another import's line and a column the file lacks, changing nothing", async () => {
    const id = await importWithRejections();
    const other = await importCsv(app, "sku,name\nX-1,Fine\n", "other.csv");
    const notRejected = await refusalOf(app, "imports.fixRows", {
      id,
      rows: [
        { line: 3, cells: { price: "1.00" } },
        { line: 2, cells: { name: "x" } },
      ],
    });
    expect(notRejected).toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("Line 2 is not a rejected row") });
    expect((await app.api.imports.rejectedRows.query({ id })).fixedCount).toBe(0);
    expect((await refusalOf(app, "imports.fixRows", { id: other.id, rows: [{ line: 3, cells: { name: "x" } }] })).message).toContain(
      `Line 3 is not a rejected row of import ${other.id}`,
    );
    expect((await refusalOf(app, "imports.fixRows", { id, rows: [{ line: 3, cells: { Preis: "1.00" } }] })).message).toContain(
      '"Preis" is not a column of supplier.csv',
    );
  });
});

describe("every kind of rejection", () => {
  it("is fixed by an edit: a row short of fields, an active flag, a custom field's value, a name too long", async () => {
    await app.api.fields.create.mutate({ key: "weight_class", label: "Weight class", type: "number" }).catch(() => {});
    const item = await importCsv(
      app,
      ["sku,name,active,weight class", "K-1,Short row", "K-2,Flag,maybe,3", "K-3,Weight,yes,heavy", `K-4,${"n".repeat(1_001)},yes,2`].join("\n"),
      "kinds.csv",
    );
    expect(item).toMatchObject({ errorCount: 4 });
    const grid = await app.api.imports.rejectedRows.query({ id: item.id });
    expect(grid.items.map((row) => row.errors[0]!.column)).toEqual([null, "active", "weight class", "name"]);
    const { items } = await app.api.imports.fixRows.mutate({
      id: item.id,
      rows: [
        { line: 2, cells: { active: "yes", "weight class": "1" } },
        { line: 3, cells: { active: "no" } },
        { line: 4, cells: { "weight class": "7.5" } },
        { line: 5, cells: { name: "A name of a sensible length" } },
      ],
    });
    expect(items.map((row) => row.fixed)).toEqual([true, true, true, true]);
    const followUp = await app.api.imports.importFixed.mutate({ id: item.id });
    expect(await app.waitForImport(followUp.id)).toMatchObject({ status: "completed", createdCount: 4, errorCount: 0 });
    expect((await app.productsBySku()).map((product) => [product.sku, product.active])).toEqual([
      ["K-1", true],
      ["K-2", false],
      ["K-3", true],
      ["K-4", true],
    ]);
  });
});

describe("imports.replaceInRejected", () => {
  it("previews, then replaces plain text in one column, checking every changed row", async () => {
    const id = await importWithRejections();
    const preview = await app.api.imports.replaceInRejected.mutate({ id, column: "price", find: " €/Stk", replace: "", preview: true });
    expect(preview).toEqual({ changed: 2, fixed: 2, preview: true });
    expect((await app.api.imports.rejectedRows.query({ id })).fixedCount).toBe(0);
    expect(await app.api.imports.replaceInRejected.mutate({ id, column: "price", find: " €/Stk", replace: "" })).toEqual({
      changed: 2,
      fixed: 2,
      preview: false,
    });
    const grid = await app.api.imports.rejectedRows.query({ id });
    expect(grid.items.filter((row) => row.fixed).map((row) => [row.line, row.cells.price])).toEqual([
      [3, "12.50"],
      [7, "9.99"],
    ]);
  });

  it("replaces with a regular expression and its groups", async () => {
    const id = await importWithRejections();
    // The file writes points: its one price with a decimal comma was rejected; the groups make it a point.
    const result = await app.api.imports.replaceInRejected.mutate({ id, column: "price", find: "^(\\d+),(\\d+)$", replace: "$1.$2", regex: true });
    expect(result).toMatchObject({ changed: 1 });
    expect((await app.api.imports.rejectedRows.query({ id })).items.find((row) => row.line === 4)!.cells.price).toBe("7.95");
  });

  it("refuses a regular expression that does not compile and a column the file lacks", async () => {
    const id = await importWithRejections();
    expect(await refusalOf(app, "imports.replaceInRejected", { id, column: "price", find: "([", replace: "", regex: true })).toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("is not a regular expression"),
    });
    expect((await refusalOf(app, "imports.replaceInRejected", { id, column: "Preis", find: "x", replace: "y" })).message).toContain(
      "is not a column",
    );
  });
});

describe("imports.dropRejected", () => {
  it("leaves out every row still to fix whose problem mentions a text, and refuses lines and message together", async () => {
    const id = await importWithRejections();
    expect(await app.api.imports.dropRejected.mutate({ id, message: "price" })).toEqual({ dropped: 3 });
    expect((await app.api.imports.rejectedRows.query({ id })).items.map((row) => row.line)).toEqual([5, 6]);
    expect((await refusalOf(app, "imports.dropRejected", { id, lines: [5], message: "stock" })).message).toContain("Give either lines or message");
  });

  it("leaves rows out, and refuses a line that is not an open rejected row", async () => {
    const id = await importWithRejections();
    expect(await app.api.imports.dropRejected.mutate({ id, lines: [6, 7] })).toEqual({ dropped: 2 });
    expect((await app.api.imports.rejectedRows.query({ id })).items.map((row) => row.line)).toEqual([3, 4, 5]);
    expect((await refusalOf(app, "imports.dropRejected", { id, lines: [3, 6] })).message).toContain("1 line is not a rejected row");
    expect((await app.api.imports.rejectedRows.query({ id })).total).toBe(3);
  });
});

describe("imports.importFixed", () => {
  it("makes the fixed rows of an applied import a new import of just those rows, linked both ways, their lines kept", async () => {
    const id = await importWithRejections();
    await app.api.imports.replaceInRejected.mutate({ id, column: "price", find: " €/Stk", replace: "" });
    await app.api.imports.fixRows.mutate({ id, rows: [{ line: 5, cells: { stock: "0" } }] });
    const followUp = await app.api.imports.importFixed.mutate({ id });
    expect(followUp).toMatchObject({ fixesImportId: id, filename: "supplier.csv (3 fixed rows)", mode: "upsert" });
    const done = await app.waitForImport(followUp.id);
    expect(done).toMatchObject({ status: "completed", createdCount: 3, errorCount: 0, totalRows: 3 });
    expect(await app.api.imports.get.query({ id })).toMatchObject({ fixedCount: 3 });
    expect((await app.api.imports.rejectedRows.query({ id })).broughtInBy).toEqual([
      { id: followUp.id, filename: "supplier.csv (3 fixed rows)", status: "completed", rows: 3 },
    ]);
    // Brought in, they leave the rows to fix; the rest stay.
    expect((await app.api.imports.rejectedRows.query({ id })).items.map((row) => row.line)).toEqual([4, 6]);
    const prices = Object.fromEntries((await app.api.products.list.query({ pageSize: 50 })).items.map((product) => [product.sku, product.price]));
    expect(prices).toMatchObject({ "OK-1": "12.50", "P-1": "12.50", "P-3": "9.99", "S-1": "3.00" });
    // The rows it took are the original file's lines 3, 5 and 7.
    const { rows } = await sql<{ lines: string }>`SELECT brought_in_lines::text AS lines FROM imports WHERE id = ${followUp.id}`.execute(
      app.database.db,
    );
    expect(rows[0]!.lines).toBe("{[3,4),[5,6),[7,8)}");
    expect((await refusalOf(app, "imports.importFixed", { id })).message).toContain("has no fixed rows to bring in");
  });

  it("brings fixed rows into an import still in review: the same import, its counts and review updated", async () => {
    const upload = await app.uploadCsv(SUPPLIER_FILE, "supplier.csv", { review: "1" });
    const id = upload.body.id as string;
    await app.waitForImport(id, (item) => item.status === "review");
    expect(await app.api.imports.review.query({ id })).toMatchObject({ created: 1, rejected: 5 });
    await app.api.imports.replaceInRejected.mutate({ id, column: "price", find: " €/Stk", replace: "" });
    const joined = await app.api.imports.importFixed.mutate({ id });
    expect(joined).toMatchObject({ id, status: "review", errorCount: 3, fixedCount: 2, totalRows: 6 });
    expect(await app.api.imports.review.query({ id })).toMatchObject({ created: 3, rejected: 3 });
    await app.api.imports.apply.mutate({ id });
    expect(await app.waitForImport(id)).toMatchObject({ status: "completed", createdCount: 3, errorCount: 3 });
    expect((await app.productsBySku()).map((product) => product.sku)).toEqual(["OK-1", "P-1", "P-3"]);
  });
});

describe("errors.csv", () => {
  it("imports as it is, fixed in a spreadsheet: its line and message columns are left out, the file's own read", async () => {
    const id = await importWithRejections();
    const csv = await (await fetch(`${app.url}/api/imports/${id}/errors.csv`)).text();
    expect(csv.split("\n")[0]).toBe("line,message,Lieferant,sku,name,price,stock");
    // The price cells (each row's next to last), not the messages quoting them.
    const fixedInASpreadsheet = csv.replace(",12.50 €/Stk,", ",12.50,").replace(",9.99 €/Stk,", ",9.99,");
    const item = await importCsv(app, fixedInASpreadsheet, `import-${id}-errors.csv`);
    expect(item).toMatchObject({ status: "completed", createdCount: 2, errorCount: 3 });
    expect(item.mapping).not.toHaveProperty("description");
    const product = (await app.api.products.list.query({ sku: "P-1" })).items[0]!;
    expect(product).toMatchObject({ name: "Price with unit", price: "12.50", description: "" });
  });
});
