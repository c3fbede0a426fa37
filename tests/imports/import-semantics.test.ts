import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { importCsv, startTestApp, type TestApp } from "../support/test-app.js";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.stop());
beforeEach(() => app.resetCatalog());

async function rejected(id: string) {
  return (await app.api.imports.errors.query({ id })).items as { line: number; message: string; fields: string[] }[];
}

describe("the header", () => {
  it("is matched case-insensitively after trimming, in any column order, ignoring unknown columns and a BOM", async () => {
    const done = await importCsv(app, "\uFEFF Name ,colour,SKU\t,DESCRIPTION\nWidget,red,w-1,A fine widget\n");
    expect(done).toMatchObject({ status: "completed", createdCount: 1, errorCount: 0 });
    expect(await app.products()).toEqual([{ sku: "w-1", name: "Widget", description: "A fine widget", active: true }]);
  });

  it("without sku or name is refused with 400 and nothing is imported", async () => {
    // ("title" would be taken for the name: it is one of the header synonyms.)
    const response = await app.uploadCsv("sku,label\nw-1,Widget\n");
    expect(response.status).toBe(400);
    expect(response.body.error).toMatch(/name/);
    expect(await app.products()).toEqual([]);
  });
});

describe("SKUs", () => {
  it("are trimmed and matched case-insensitively, Unicode included: a file row overwrites the product", async () => {
    await importCsv(app, "sku,name,description\n  ÄBC-1 ,Old name,Old text\nplain,Plain,\n");
    const second = await importCsv(app, "sku,name,description\näbc-1,New name,New text\n");
    expect(second).toMatchObject({ status: "completed", createdCount: 0, updatedCount: 1 });
    expect(await app.products()).toEqual(
      expect.arrayContaining([
        { sku: "äbc-1", name: "New name", description: "New text", active: true },
        { sku: "plain", name: "Plain", description: "", active: true },
      ]),
    );
    expect(await app.products()).toHaveLength(2);
  });

  it("repeat within one file: the last row wins and counts once", async () => {
    const done = await importCsv(app, "sku,name\nA-1,First\nb-2,Other\na-1,Second\nA-1,Third\n");
    expect(done).toMatchObject({ createdCount: 2, updatedCount: 0, errorCount: 0, totalRows: 4 });
    expect((await app.products()).find((p) => p.sku.toLowerCase() === "a-1")).toMatchObject({ sku: "A-1", name: "Third" });
  });

  it("created + updated equals the distinct SKUs among accepted rows", async () => {
    await importCsv(app, "sku,name\nx-1,X\ny-1,Y\n");
    const done = await importCsv(app, "sku,name\nX-1,X again\nz-1,Z\nz-1,Z again\nY-1,Y again\n,nameless\n");
    expect(done).toMatchObject({ createdCount: 1, updatedCount: 2, errorCount: 1 });
  });
});

describe("the active flag", () => {
  it("is read from true/false, yes/no, 1/0, active/inactive in any case", async () => {
    const rows = ["TRUE", "false", "Yes", "no", "1", "0", "Active", "INACTIVE"].map((value, index) => `s-${index},N,${value}`);
    await importCsv(app, `sku,name,active\n${rows.join("\n")}\n`);
    expect((await app.productsBySku()).map((p) => p.active)).toEqual([true, false, true, false, true, false, true, false]);
  });

  it("defaults to active for new products and is kept for existing ones when the file has no such column", async () => {
    await importCsv(app, "sku,name,active\nkeep-off,Off,no\n");
    await importCsv(app, "sku,name\nkeep-off,Renamed\nbrand-new,New\n");
    expect(await app.productsBySku()).toEqual([
      { sku: "brand-new", name: "New", description: "", active: true },
      { sku: "keep-off", name: "Renamed", description: "", active: false },
    ]);
  });
});

describe("rejected rows", () => {
  it("are reported with the physical line they start on and the reason, and the other rows still apply", async () => {
    const csv = [
      "sku,name,description,active", // 1
      'ok-1,Fine,"spans', // 2
      'two lines",yes', // 3
      "", // 4 blank: skipped silently
      ",No sku,x,yes", // 5
      "no-name,  ,x,yes", // 6
      "bad-active,Thing,x,maybe", // 7
      "short,row", // 8
      `nul,Has\u0000nul,x,yes`, // 9
      `${"s".repeat(256)},Long sku,x,yes`, // 10
      `long-name,${"n".repeat(1001)},x,yes`, // 11
      `long-desc,Thing,${"d".repeat(100_001)},yes`, // 12
      "ok-2,Fine too,,no", // 13
    ].join("\r\n");
    const done = await importCsv(app, csv);
    expect(done).toMatchObject({ status: "completed", createdCount: 2, errorCount: 8, totalRows: 10 });
    const errors = await rejected(done.id);
    expect(errors.map((e) => [e.line, e.message])).toEqual([
      [5, "sku is empty"],
      [6, "name is empty"],
      [7, expect.stringContaining('active must be true/false, yes/no, 1/0 or active/inactive (found "maybe")')],
      [8, "expected 4 fields but found 2"],
      [9, "name contains a NUL byte"],
      [10, "sku is 256 characters long; the limit is 255"],
      [11, "name is 1001 characters long; the limit is 1000"],
      [12, "description is 100001 characters long; the limit is 100000"],
    ]);
    expect(errors[3]!.fields).toEqual(["short", "row"]);
    expect((await app.productsBySku()).map((p) => p.sku)).toEqual(["ok-1", "ok-2"]);
    expect((await app.productsBySku())[0]!.description).toBe("spans\r\ntwo lines");
  });

  it("count limits in characters, not bytes", async () => {
    const done = await importCsv(app, `sku,name\n${"é".repeat(255)},${"😀".repeat(1000)}\n`);
    expect(done).toMatchObject({ createdCount: 1, errorCount: 0 });
  });

  it("are offered as errors.csv with the file's own header", async () => {
    const done = await importCsv(app, "name,sku,colour\nNo sku,,red\nFine,f-1,blue\n");
    const response = await fetch(`${app.url}/api/imports/${done.id}/errors.csv`);
    expect(response.headers.get("content-type")).toMatch(/text\/csv/);
    expect(await response.text()).toBe("line,message,name,sku,colour\n2,sku is empty,No sku,,red\n");
  });
});

describe("a file that cannot be parsed", () => {
  it("fails naming the line of the broken record, and nothing of it is applied", async () => {
    const response = await app.uploadCsv('sku,name\ngood-1,Good\ngood-2,"Unclosed\ngood-3,Never seen\n');
    expect(response.status).toBe(400);
    expect(response.body.error).toMatch(/^Line 3: a quoted field starts here and is never closed/);
    expect(await app.products()).toEqual([]);
    const failed = await app.api.imports.get.query({ id: response.body.id });
    expect(failed).toMatchObject({ status: "failed", error: response.body.error, retryable: false });
  });
});
