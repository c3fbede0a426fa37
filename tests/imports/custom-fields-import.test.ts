import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { refusalOf, startTestApp, type TestApp } from "../support/test-app.js";
import { deleteEveryField } from "../support/custom-fields.js";

/**
 * Fields of your own (CONTRACT.md "Typed fields", issue 32) filled from files: columns named after
 * a field map by themselves, values are read by the field's type (a wrong one rejects the row with
 * its line and the field), empty cells clear or keep, a required field holds for new products, and
 * the review, the undo and the export carry every value.
 */

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.stop());
beforeEach(async () => {
  // The fields table outlives a test: every test starts without fields and without products.
  await app.resetCatalog();
  await deleteEveryField(app.api);
});

type FieldType = "text" | "number" | "integer" | "boolean" | "date" | "url" | "choice" | "list";
type Value = string | number | boolean | string[];
type Attributes = Record<string, Value>;

const defineField = (label: string, type: FieldType, extra: { key?: string; options?: string[]; required?: boolean } = {}) =>
  app.api.fields.create.mutate({ label, type, ...extra });
const nameOf = (sku: string) => `Product ${sku}`;
const createProduct = (sku: string, attributes: Record<string, unknown>) => app.api.products.create.mutate({ sku, name: nameOf(sku), attributes });

/** Uploads a file (options before it, as the Imports page sends them) and waits until it is applied, or held for review. */
async function upload(content: string, options: Record<string, string> = {}, filename = "products.csv") {
  const response = await app.uploadCsv(content, filename, options);
  expect(response.status, response.body.error).toBe(202);
  const held = options.review === "1";
  return app.waitForImport(response.body.id, (item) => (held ? item.status === "review" : ["completed", "failed"].includes(item.status)));
}

const rejected = async (id: string) => (await app.api.imports.errors.query({ id, pageSize: 200 })).items.map((error) => [error.line, error.message]);

/** Every product's attributes, by SKU. */
async function attributesBySku(): Promise<Record<string, Attributes>> {
  const { items } = await app.api.products.list.query({ pageSize: 200, sort: "sku" });
  return Object.fromEntries(items.map((product) => [product.sku, product.attributes]));
}

/** RFC 4180 quoting: only a cell holding a comma, a quote or a line break. */
const quoted = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
const csv = (header: string[], rows: string[][]) => [header, ...rows].map((cells) => cells.map(quoted).join(",")).join("\n") + "\n";

/** The counts every import accounts for its rows with (CONTRACT.md). */
const accounted = (done: { createdCount: number; updatedCount: number; skippedCount: number; errorCount: number; repeatedCount: number }) =>
  done.createdCount + done.updatedCount + done.skippedCount + done.errorCount + done.repeatedCount;

/**
 * A product's attributes after a file's row, by the contract's rules: the keys the file maps are
 * replaced by the row's values; an empty cell (undefined) clears the key, or keeps it with
 * `emptyCells=keep`; the keys the file does not map stay as they are.
 */
function attributesAfter(before: Attributes | undefined, row: Record<string, Value | undefined>, mapped: string[], keep = false): Attributes {
  const after: Attributes = { ...before };
  for (const key of mapped) {
    const value = row[key];
    if (value !== undefined) after[key] = value;
    else if (!keep) delete after[key];
  }
  return after;
}
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

describe("a file's columns", () => {
  it("named by a field's label, its key or attributes.<key> map by themselves, the label compared as header names are", async () => {
    await defineField("Country of origin", "text");
    await defineField("Passform", "choice", { key: "fit", options: ["Slim", "Regular"] });
    await defineField("Breite (cm)", "number", { key: "width" });
    await defineField("Pieces", "integer");
    const done = await upload(
      csv(
        ["SKU", "Name", "country of origin", "fit", "attributes.width", "PIECES"],
        [
          ["A-1", "Alpha", "Portugal", "slim", "12.5", "3"],
          ["A-2", "Beta", "", "REGULAR", "-0.25", ""],
        ],
      ),
    );
    expect(done).toMatchObject({ status: "completed", createdCount: 2, errorCount: 0 });
    expect(done.mapping).toMatchObject({
      "attributes.country_of_origin": "country of origin",
      "attributes.fit": "fit",
      "attributes.width": "attributes.width",
      "attributes.pieces": "PIECES",
    });
    expect(await attributesBySku()).toEqual({
      "A-1": { country_of_origin: "Portugal", fit: "Slim", width: 12.5, pieces: 3 },
      "A-2": { fit: "Regular", width: -0.25 },
    });
  });

  it("read with the file's decimal comma, in a semicolon-separated file", async () => {
    await defineField("Width cm", "number");
    await upload("Artikelnummer;Bezeichnung;Width cm\nD-1;Eins;12,5\nD-2;Zwei;1.234,75\n");
    expect(await attributesBySku()).toEqual({ "D-1": { width_cm: 12.5 }, "D-2": { width_cm: 1234.75 } });
  });

  it("map to a field by an explicit mapping, and a column no mapping names is left alone", async () => {
    await defineField("Fit", "choice", { options: ["Slim", "Regular"] });
    await defineField("Material", "text");
    const mapping = JSON.stringify({ sku: "Artikel", name: "Titel", "attributes.fit": "Passform" });
    const done = await upload(csv(["Artikel", "Titel", "Passform", "Material"], [["M-1", "Hemd", "regular", "Cotton"]]), { mapping });
    expect(done).toMatchObject({ status: "completed", createdCount: 1, errorCount: 0 });
    expect(done.mapping).toMatchObject({ "attributes.fit": "Passform" });
    expect(await attributesBySku()).toEqual({ "M-1": { fit: "Regular" } });
  });

  it("mapped to a field that does not exist is a 400 naming it, and nothing is imported", async () => {
    await defineField("Fit", "choice", { options: ["Slim", "Regular"] });
    const mapping = JSON.stringify({ sku: "sku", name: "name", "attributes.colour": "Farbe" });
    const response = await app.uploadCsv(csv(["sku", "name", "Farbe"], [["X-1", "Shirt", "red"]]), "products.csv", { mapping });
    expect(response.status).toBe(400);
    expect(response.body.error).toContain("attributes.colour");
    expect(await attributesBySku()).toEqual({});
  });
});

describe("a value that does not read as its field's type", () => {
  it("rejects its row with the line, the field's label and the value; the other rows apply", async () => {
    await defineField("Width cm", "number");
    await defineField("Pieces", "integer");
    await defineField("Released", "date");
    await defineField("Fit", "choice", { options: ["Slim", "Regular"] });
    await defineField("Organic", "boolean");
    await defineField("Manual", "url");
    const header = ["sku", "name", "Width cm", "Pieces", "Released", "Fit", "Organic", "Manual"];
    const good = ["1.5", "2", "31.12.2026", "slim", "yes", "https://example.com/m.pdf"];
    const rows = [
      ["ok-1", "Fine", ...good],
      ["bad-1", "Wide", "abc", ...good.slice(1)],
      ["bad-2", "Half", good[0]!, "2.5", ...good.slice(2)],
      ["bad-3", "Leap", ...good.slice(0, 2), "2026-02-30", ...good.slice(3)],
      ["bad-4", "Huge", ...good.slice(0, 3), "Huge", ...good.slice(4)],
      ["bad-5", "Maybe", ...good.slice(0, 4), "maybe", good[5]!],
      ["bad-6", "Ftp", ...good.slice(0, 5), "ftp://example.com/m.pdf"],
      ["ok-2", "Also fine", "", "", "", "", "", ""],
    ];
    const done = await upload(csv(header, rows));
    // The expected rejections, from the rows: the first cell that differs from a good row's, on the file's line.
    const expected = rows.flatMap((row, at) => {
      const column = row.slice(2).findIndex((cell, index) => cell !== "" && cell !== good[index]);
      return column === -1 ? [] : [[at + 2, `${header[column + 2]} "${row[column + 2]}" is not `]];
    });
    expect(expected).toHaveLength(6);
    const errors = await rejected(done.id);
    expect(errors.map(([line]) => line)).toEqual(expected.map(([line]) => line));
    for (const [at, [, message]] of errors.entries()) expect(String(message).startsWith(String(expected[at]![1])), String(message)).toBe(true);
    expect(errors[3]![1]).toContain("Slim, Regular");
    expect(done).toMatchObject({ status: "completed", createdCount: 2, errorCount: expected.length });
    expect(await attributesBySku()).toEqual({
      "ok-1": { width_cm: 1.5, pieces: 2, released: "2026-12-31", fit: "Slim", organic: true, manual: "https://example.com/m.pdf" },
      "ok-2": {},
    });
  });

  it("names the field by its label and the file's column when they differ", async () => {
    await defineField("Passform", "choice", { key: "fit", options: ["Slim", "Regular"] });
    const done = await upload(csv(["sku", "name", "attributes.fit"], [["f-1", "One", "Baggy"]]));
    expect(await rejected(done.id)).toEqual([[2, 'Passform ("attributes.fit") "Baggy" is not one of the options (Slim, Regular)']]);
  });
});

describe("an empty cell", () => {
  const HEADER = ["sku", "name", "material", "Width cm", "fit"];
  async function seed() {
    await defineField("Material", "text");
    await defineField("Width cm", "number");
    await defineField("Fit", "choice", { options: ["Slim", "Regular"] });
    await upload(
      csv(HEADER, [
        ["A", nameOf("A"), "Cotton", "2", "Slim"],
        ["B", nameOf("B"), "Wool", "3", "Regular"],
      ]),
    );
    const seeded = await attributesBySku();
    expect(seeded).toEqual({ A: { material: "Cotton", width_cm: 2, fit: "Slim" }, B: { material: "Wool", width_cm: 3, fit: "Regular" } });
    return seeded;
  }
  const FILE = {
    A: { material: undefined, fit: "Regular" },
    B: { material: "Silk", fit: undefined },
  } as const;
  const fileOf = (rows: Record<string, { material?: string; fit?: string }>) =>
    csv(
      ["sku", "name", "material", "fit"],
      Object.entries(rows).map(([sku, row]) => [sku, nameOf(sku), row.material ?? "", row.fit ?? ""]),
    );

  it("clears the value on an existing product; a column the file does not have leaves its field alone", async () => {
    const before = await seed();
    const done = await upload(fileOf(FILE));
    expect(done).toMatchObject({ status: "completed", updatedCount: 2, unchangedCount: 0, errorCount: 0 });
    const expected = Object.fromEntries(Object.entries(FILE).map(([sku, row]) => [sku, attributesAfter(before[sku], row, ["material", "fit"])]));
    expect(await attributesBySku()).toEqual(expected);
    expect(expected).toEqual({ A: { width_cm: 2, fit: "Regular" }, B: { material: "Silk", width_cm: 3 } });
  });

  it("keeps the value with emptyCells=keep, and a filled cell still writes", async () => {
    const before = await seed();
    const done = await upload(fileOf(FILE), { emptyCells: "keep" });
    const expected = Object.fromEntries(
      Object.entries(FILE).map(([sku, row]) => [sku, attributesAfter(before[sku], row, ["material", "fit"], true)]),
    );
    expect(await attributesBySku()).toEqual(expected);
    const unchanged = Object.keys(FILE).filter((sku) => same(before[sku], expected[sku])).length;
    expect(done).toMatchObject({ status: "completed", updatedCount: 2, unchangedCount: unchanged, errorCount: 0 });
    const again = await upload(fileOf({ A: {}, B: {} }), { emptyCells: "keep" });
    expect(again).toMatchObject({ updatedCount: 2, unchangedCount: 2 });
    expect(await attributesBySku()).toEqual(expected);
  });
});

describe("a required field", () => {
  async function seed() {
    await defineField("Origin", "text", { required: true });
    await defineField("Material", "text");
    await createProduct("E-1", { origin: "DE", material: "Cotton" });
  }

  it("rejects a row whose mapped required column is empty, naming the field and the line", async () => {
    await seed();
    const rows = [
      ["E-1", nameOf("E-1"), "", "Wool"],
      ["N-1", "New one", "PT", "Linen"],
      ["N-2", "New two", "", "Silk"],
    ];
    const done = await upload(csv(["sku", "name", "Origin", "Material"], rows));
    const empty = rows.flatMap((row, at) => (row[2] === "" ? [at + 2] : []));
    expect(await rejected(done.id)).toEqual(empty.map((line) => [line, expect.stringMatching(/^Origin is required/)]));
    expect(done).toMatchObject({ status: "completed", createdCount: 1, updatedCount: 0, errorCount: empty.length });
    expect(accounted(done)).toBe(done.totalRows);
    expect(await attributesBySku()).toEqual({ "E-1": { origin: "DE", material: "Cotton" }, "N-1": { origin: "PT", material: "Linen" } });
  });

  it("without its column, creates no new product (each rejected, with a message) and still updates the existing ones", async () => {
    await seed();
    const rows = [
      ["E-1", "Renamed", "Wool"],
      ["N-3", "New three", "Silk"],
      ["N-4", "New four", ""],
    ];
    const done = await upload(csv(["sku", "name", "Material"], rows));
    const fresh = rows.filter(([sku]) => sku !== "E-1").length;
    expect(done).toMatchObject({ status: "completed", createdCount: 0, updatedCount: 1, errorCount: fresh, totalRows: rows.length });
    expect(accounted(done)).toBe(done.totalRows);
    const errors = await rejected(done.id);
    expect(errors.map(([line]) => line)).toEqual([3, 4]);
    for (const [, message] of errors) expect(message).toMatch(/Origin is required for a new product/);
    const { items } = await app.api.products.list.query({ pageSize: 10 });
    expect(items.map((product) => [product.sku, product.name, product.attributes])).toEqual([["E-1", "Renamed", { origin: "DE", material: "Wool" }]]);
  });
});

describe("a required field with emptyCells=keep", () => {
  it("keeps an existing product's value for an empty cell, and still rejects a new product without one", async () => {
    await defineField("Origin", "text", { required: true });
    await createProduct("E-1", { origin: "DE" });
    const rows = [
      ["E-1", "Renamed", ""],
      ["N-1", "New one", ""],
    ];
    const done = await upload(csv(["sku", "name", "Origin"], rows), { emptyCells: "keep" });
    expect(done).toMatchObject({ status: "completed", createdCount: 0, updatedCount: 1, errorCount: 1 });
    expect(await rejected(done.id)).toEqual([[3, expect.stringContaining("Origin")]]);
    const { items } = await app.api.products.list.query({ pageSize: 10 });
    expect(items.map((product) => [product.sku, product.name, product.attributes])).toEqual([["E-1", "Renamed", { origin: "DE" }]]);
  });
});

describe("an import's counts", () => {
  it("account for every row: created + updated + skipped + rejected + repeated = rows, in upsert and update-only", async () => {
    await defineField("Width cm", "number");
    await createProduct("C-1", { width_cm: 1 });
    await createProduct("C-2", { width_cm: 2 });
    // One row per outcome: a change, no change, a new SKU, a wrong value, a SKU repeated (its last row wins).
    const rows = [
      { sku: "C-1", width: "5" },
      { sku: "C-2", width: "2.0" },
      { sku: "C-3", width: "7" },
      { sku: "C-4", width: "wide" },
      { sku: "C-5", width: "1" },
      { sku: "c-5", width: "3" },
    ];
    const file = csv(
      ["sku", "name", "Width cm"],
      rows.map(({ sku, width }) => [sku, nameOf(sku.toUpperCase()), width]),
    );
    const bad = rows.filter(({ width }) => Number.isNaN(Number(width)));
    const good = rows.filter((row) => !bad.includes(row));
    const distinct = new Set(good.map(({ sku }) => sku.toUpperCase()));
    const existing = ["C-1", "C-2"];
    const stored: Record<string, number> = { "C-1": 1, "C-2": 2 };
    const lastRow = (sku: string) => good.filter((row) => row.sku.toUpperCase() === sku).at(-1)!;
    const lastWidth = (sku: string) => Number(lastRow(sku).width);
    const unchanged = existing.filter((sku) => distinct.has(sku) && lastWidth(sku) === stored[sku]).length;

    const upsert = await upload(file);
    const fresh = [...distinct].filter((sku) => !existing.includes(sku)).length;
    expect(upsert).toMatchObject({
      totalRows: rows.length,
      createdCount: fresh,
      updatedCount: distinct.size - fresh,
      unchangedCount: unchanged,
      skippedCount: 0,
      errorCount: bad.length,
      repeatedCount: good.length - distinct.size,
    });
    expect(accounted(upsert)).toBe(upsert.totalRows);
    // A repeated SKU is written once, by its last row (and with that row's spelling).
    expect((await attributesBySku())[lastRow("C-5").sku]).toEqual({ width_cm: lastWidth("C-5") });

    await app.resetCatalog();
    await createProduct("C-1", { width_cm: 1 });
    await createProduct("C-2", { width_cm: 2 });
    const updateOnly = await upload(file, { mode: "update-only" });
    expect(updateOnly).toMatchObject({ createdCount: 0, updatedCount: distinct.size - fresh, skippedCount: fresh, errorCount: bad.length });
    expect(accounted(updateOnly)).toBe(updateOnly.totalRows);
    expect(Object.keys(await attributesBySku())).toEqual(existing);
  });
});

describe("imports.inspect", () => {
  it("lists the columns no field takes with the type their first values suggest, and leaves out the mapped ones", async () => {
    await defineField("Fit", "choice", { options: ["Slim", "Regular"] });
    const unmapped: { column: string; values: [string, string]; suggestedType: FieldType }[] = [
      { column: "Pieces", values: ["12", "-3"], suggestedType: "integer" },
      { column: "Length cm", values: ["12.5", "3"], suggestedType: "number" },
      { column: "Organic", values: ["yes", "No"], suggestedType: "boolean" },
      { column: "Released", values: ["2026-12-31", "31.12.2026"], suggestedType: "date" },
      { column: "Manual", values: ["https://example.com/a.pdf", "http://example.org"], suggestedType: "url" },
      { column: "Colours", values: ["red, blue", "green"], suggestedType: "list" },
      { column: "Notes", values: ["Handle with care", "12 pieces"], suggestedType: "text" },
      { column: "Blank", values: ["", ""], suggestedType: "text" },
    ];
    const mapped = { sku: ["S-1", "S-2"], name: ["One", "Two"], Fit: ["Slim", "Regular"], price: ["1.00", "2.00"] };
    const header = [...Object.keys(mapped), ...unmapped.map(({ column }) => column)];
    const rows = [0, 1].map((at) => [...Object.values(mapped).map((values) => values[at]!), ...unmapped.map(({ values }) => values[at]!)]);
    const inspection = await app.api.imports.inspect.query({ sample: Buffer.from(csv(header, rows)).toString("base64"), filename: "new.csv" });
    expect(inspection.mapping).toMatchObject({ sku: "sku", name: "name", price: "price", "attributes.fit": "Fit" });
    expect(inspection.unmapped).toEqual(unmapped.map(({ column, suggestedType }) => ({ column, suggestedType })));
    expect(inspection.problem).toBeNull();
  });
});

describe("the review", () => {
  /** The fields a file maps (width is not in it) and the catalog before. */
  const MAPPED = ["material", "fit", "colours"];
  const SEEDED: Record<string, Attributes> = {
    "R-1": { material: "Cotton", fit: "Slim", width: 2, colours: ["red", "blue"] },
    "R-2": { material: "Wool", width: 3 },
    "R-3": { material: "Linen", fit: "Regular", colours: ["green"] },
    "R-4": { fit: "Slim" },
    "R-5": { material: "Silk", width: 1.5 },
    "R-6": { material: "Jute" },
  };
  /** The file's rows as read values: undefined is an empty cell. */
  const FILE: Record<string, Record<string, Value | undefined>> = {
    "R-1": { material: "Cotton", fit: "Slim", colours: ["red", "blue"] },
    "R-2": { material: "Tweed" },
    "R-3": { material: "Linen", fit: "Slim", colours: ["green", "white"] },
    "R-4": { colours: ["black"] },
    "R-5": { material: "Silk" },
    "N-1": { material: "Hemp", fit: "Regular", colours: ["red"] },
  };
  /** As a file writes them: a choice in another case, a list with loose spaces. */
  const fileCsv = () =>
    csv(
      ["sku", "name", "Material", "Fit", "Colours"],
      Object.entries(FILE).map(([sku, row]) => [
        sku,
        nameOf(sku),
        String(row.material ?? ""),
        String(row.fit ?? "").toLowerCase(),
        ((row.colours as string[] | undefined) ?? []).join(" ,"),
      ]),
    );

  async function seed() {
    await defineField("Material", "text");
    await defineField("Fit", "choice", { options: ["Slim", "Regular"] });
    await defineField("Width", "number");
    await defineField("Colours", "list");
    for (const [sku, attributes] of Object.entries(SEEDED)) await createProduct(sku, attributes);
    expect(await attributesBySku()).toEqual(SEEDED);
  }

  it("counts each field's changes, lists each product's attributes after, applies them, and an undo gives every value back", async () => {
    await seed();
    const held = await upload(fileCsv(), { review: "1" });

    const after = Object.fromEntries(Object.entries(FILE).map(([sku, row]) => [sku, attributesAfter(SEEDED[sku], row, MAPPED)]));
    const existing = Object.keys(FILE).filter((sku) => SEEDED[sku]);
    const updates = existing.filter((sku) => !same(SEEDED[sku], after[sku]));
    const changedKeys = (sku: string) => MAPPED.filter((key) => !same(SEEDED[sku]![key], after[sku]![key]));
    const changedOf = (key: string) => updates.filter((sku) => changedKeys(sku).includes(key)).length;
    expect(updates).toEqual(["R-2", "R-3", "R-4"]);

    const review = await app.api.imports.review.query({ id: held.id });
    expect(review).toMatchObject({
      created: Object.keys(FILE).length - existing.length,
      updated: updates.length,
      unchanged: existing.length - updates.length,
      changed: Object.fromEntries(MAPPED.map((key) => [`attributes.${key}`, changedOf(key)])),
    });
    expect(review.changed).toMatchObject({ sku: 0, name: 0, description: 0, price: 0 });
    expect((review.changed as Record<string, number>)["attributes.width"] ?? 0).toBe(0);

    const changes = await app.api.imports.changes.query({ id: held.id, kind: "update", pageSize: 50 });
    expect(changes.total).toBe(updates.length);
    for (const item of changes.items) {
      expect(item.before?.attributes, item.sku).toEqual(SEEDED[item.sku]);
      expect(item.after?.attributes, item.sku).toEqual(after[item.sku]);
      expect([...item.changedFields].sort(), item.sku).toEqual(
        changedKeys(item.sku)
          .map((key) => `attributes.${key}`)
          .sort(),
      );
    }
    const created = await app.api.imports.changes.query({ id: held.id, kind: "create" });
    expect(created.items.map((item) => [item.sku, item.after?.attributes])).toEqual([["N-1", after["N-1"]]]);
    // Nothing is written while in review.
    expect(await attributesBySku()).toEqual(SEEDED);

    await app.api.imports.apply.mutate({ id: held.id });
    const applied = await app.waitForImport(held.id, (item) => item.status === "completed");
    expect(applied).toMatchObject({ createdCount: 1, updatedCount: existing.length, unchangedCount: existing.length - updates.length });
    expect(await attributesBySku()).toEqual({ ...SEEDED, ...after });

    await app.api.imports.revert.mutate({ id: held.id });
    await app.waitForImport(held.id, (item) => item.status === "reverted");
    expect(await attributesBySku()).toEqual(SEEDED);
  });

  it("of a field deleted while the import waits: applying it does not write the deleted key back", async () => {
    await seed();
    const held = await upload(fileCsv(), { review: "1" });
    const holding = Object.values(SEEDED).filter((attributes) => "fit" in attributes).length;
    expect(await app.api.fields.delete.mutate({ key: "fit" })).toEqual({ key: "fit", cleared: holding });
    const withoutFit = (attributes: Attributes) => Object.fromEntries(Object.entries(attributes).filter(([key]) => key !== "fit"));
    const before = Object.fromEntries(Object.entries(SEEDED).map(([sku, attributes]) => [sku, withoutFit(attributes)]));

    await app.api.imports.apply.mutate({ id: held.id });
    await app.waitForImport(held.id, (item) => ["completed", "failed"].includes(item.status));
    expect(await app.api.imports.get.query({ id: held.id })).toMatchObject({ status: "completed" });
    const expected = Object.fromEntries(
      Object.entries(FILE).map(([sku, row]) => [
        sku,
        attributesAfter(
          before[sku],
          row,
          MAPPED.filter((key) => key !== "fit"),
        ),
      ]),
    );
    const catalog = await attributesBySku();
    expect(catalog).toEqual({ ...before, ...expected });
    for (const attributes of Object.values(catalog)) expect(Object.keys(attributes)).not.toContain("fit");

    // The undo gives back the values as they were when the import applied: the deleted field stays gone.
    await app.api.imports.revert.mutate({ id: held.id });
    await app.waitForImport(held.id, (item) => item.status === "reverted");
    expect(await attributesBySku()).toEqual(before);
  });
});

describe("a field changed after an import", () => {
  it("deleted: undoing the import does not bring the deleted field's values back", async () => {
    await defineField("Fit", "choice", { options: ["Slim", "Regular"] });
    await defineField("Material", "text");
    await createProduct("P-1", { fit: "Slim", material: "Cotton" });
    const done = await upload(csv(["sku", "name", "Material"], [["P-1", nameOf("P-1"), "Wool"]]));
    expect(await attributesBySku()).toEqual({ "P-1": { fit: "Slim", material: "Wool" } });
    expect(await app.api.fields.delete.mutate({ key: "fit" })).toEqual({ key: "fit", cleared: 1 });

    await app.api.imports.revert.mutate({ id: done.id, partial: true });
    await app.waitForImport(done.id, (item) => item.status === "reverted");
    expect(Object.keys((await attributesBySku())["P-1"]!)).toEqual(["material"]);
    expect(await app.api.fields.usage.query({ key: "fit" })).toEqual({ key: "fit", products: 0 });
  });

  it("converted to another type: undoing the import gives the earlier value back in the field's type", async () => {
    await defineField("Spec", "text");
    await createProduct("P-1", { spec: "12" });
    const done = await upload(csv(["sku", "name", "Spec"], [["P-1", nameOf("P-1"), "15"]]));
    await app.api.fields.update.mutate({ key: "spec", type: "integer" });
    expect(await attributesBySku()).toEqual({ "P-1": { spec: 15 } });

    await app.api.imports.revert.mutate({ id: done.id, partial: true });
    await app.waitForImport(done.id, (item) => item.status === "reverted");
    const spec = (await attributesBySku())["P-1"]!.spec;
    // Whatever the undo does, an integer field holds integers.
    expect(spec === undefined || Number.isInteger(spec), JSON.stringify(spec)).toBe(true);
  });

  it("converted to another type while the import waits in review: refused while a waiting row would not convert, its values converted otherwise", async () => {
    await defineField("Spec", "text");
    const held = await upload(
      csv(
        ["sku", "name", "Spec"],
        [
          ["S-1", "One", "12"],
          ["S-2", "Two", "abc"],
        ],
      ),
      { review: "1" },
    );
    const refused = await refusalOf(app, "fields.update", { key: "spec", type: "integer" });
    expect(refused.code).toBe("CONFLICT");
    expect(refused.message).toContain('"abc" is not a number');
    expect((await app.api.fields.list.query({}))[0]!.type).toBe("text");
    await app.api.imports.discard.mutate({ id: held.id });
    const next = await upload(
      csv(
        ["sku", "name", "Spec"],
        [
          ["S-1", "One", "12"],
          ["S-2", "Two", "7"],
        ],
      ),
      { review: "1" },
    );
    await app.api.fields.update.mutate({ key: "spec", type: "integer" });
    await app.api.imports.apply.mutate({ id: next.id });
    await app.waitForImport(next.id, (item) => item.status === "completed");
    expect(Object.fromEntries(Object.entries(await attributesBySku()).map(([sku, attributes]) => [sku, attributes.spec]))).toEqual({
      "S-1": 12,
      "S-2": 7,
    });
  });
});

describe("the export", () => {
  it("writes one attributes.<key> column per field after tags, values as a file writes them, and importing it back changes nothing", async () => {
    const fields = [
      await defineField("Material", "text"),
      await defineField("Width cm", "number"),
      await defineField("Pieces", "integer"),
      await defineField("Organic", "boolean"),
      await defineField("Released", "date"),
      await defineField("Manual", "url"),
      await defineField("Fit", "choice", { options: ["Slim", "Regular"] }),
      await defineField("Colours", "list"),
    ];
    const values: Record<string, Attributes> = {
      "X-1": {
        material: 'A "big", soft cotton',
        width_cm: 12.5,
        pieces: -3,
        organic: true,
        released: "2026-12-31",
        manual: "https://example.com/m.pdf?a=1,2",
        fit: "Slim",
        colours: ["red", "blue sky"],
      },
      "X-2": {},
      "X-3": {
        material: "=SUM(A1:A2)",
        width_cm: -0.25,
        pieces: 0,
        organic: false,
        released: "2024-02-29",
        fit: "Regular",
        colours: ["-sale", "@new"],
      },
      "X-4": { material: "Line one\nline two", width_cm: 1234567.125, pieces: 1000000, colours: ["solo"] },
    };
    for (const [sku, attributes] of Object.entries(values)) await createProduct(sku, attributes);
    const before = (await app.api.products.list.query({ pageSize: 50, sort: "sku" })).items;
    expect(Object.fromEntries(before.map((product) => [product.sku, product.attributes]))).toEqual(values);

    const response = await fetch(`${app.url}/api/products/export`);
    expect(response.status).toBe(200);
    const exported = await response.text();
    const [header, ...rows]: string[][] = parse(exported);
    const builtIn = "sku,name,description,active,price,compare_at_price,stock,barcode,weight_grams,brand,category,tags".split(",");
    expect(header).toEqual([...builtIn, ...fields.map((field) => `attributes.${field.key}`)]);

    /** A value as a file writes it: a list joined by ", ", yes/no as true/false, numbers and dates as written. */
    const cellOf = (value: Value | undefined) => (value === undefined ? "" : Array.isArray(value) ? value.join(", ") : String(value));
    /** Text a spreadsheet would run as a formula is marked with an apostrophe (numbers are never text). */
    const TEXTUAL: readonly string[] = ["text", "url", "choice", "list"];
    const marked = (type: string, cell: string) => (TEXTUAL.includes(type) && /^[=+\-@]/.test(cell) ? `'${cell}` : cell);
    const bySku = Object.fromEntries(rows.map((row) => [row[0]!, row]));
    for (const [sku, attributes] of Object.entries(values)) {
      const written = fields.map((field) => bySku[sku]![header!.indexOf(`attributes.${field.key}`)]);
      expect(written, sku).toEqual(fields.map((field) => marked(field.type, cellOf(attributes[field.key]))));
    }

    const held = await upload(exported, { review: "1" }, "export.csv");
    expect(held.mapping).toMatchObject(Object.fromEntries(fields.map((field) => [`attributes.${field.key}`, `attributes.${field.key}`])));
    const review = await app.api.imports.review.query({ id: held.id });
    expect(review).toMatchObject({ created: 0, updated: 0, unchanged: before.length });
    expect(Object.values(review.changed).every((count) => count === 0)).toBe(true);
    await app.api.imports.apply.mutate({ id: held.id });
    const back = await app.waitForImport(held.id, (item) => item.status === "completed");
    expect(back).toMatchObject({ createdCount: 0, updatedCount: before.length, unchangedCount: before.length, errorCount: 0 });
    expect((await app.api.products.list.query({ pageSize: 50, sort: "sku" })).items).toEqual(before);
  });
});
