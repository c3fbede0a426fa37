import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { rawWorkbook, zipOf } from "../support/raw-workbook.js";
import { startTestApp, type TestApp } from "../support/test-app.js";

/**
 * Packed uploads (issue "Feeds", point 4): a gzip (`.gz`, or a raw body sent with
 * `Content-Encoding: gzip`) and a zip holding one CSV, TSV or workbook are unpacked as they stream;
 * a cut-off gzip, a zip of two files or none, an archive inside an archive: a clear message, nothing
 * applied.
 */

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.stop());
beforeEach(() => app.resetCatalog());

const CSV =
  ["sku,name,description,active", ...Array.from({ length: 300 }, (_, at) => `SKU-${at},Product ${at},A description of ${at},true`)].join("\n") + "\n";

async function uploaded(content: Buffer, filename: string) {
  const answer = await app.uploadCsv(content, filename);
  if (answer.status !== 202) return { status: answer.status, error: answer.body.error as string, item: null };
  return { status: answer.status, error: null, item: await app.waitForImport(answer.body.id) };
}

describe("a gzip upload", () => {
  it("named .csv.gz is read as the CSV it holds, and keeps its name", async () => {
    const { item } = await uploaded(gzipSync(CSV), "products.csv.gz");
    expect(item).toMatchObject({ status: "completed", createdCount: 300, errorCount: 0, filename: "products.csv.gz" });
    expect((await app.productsBySku()).length).toBe(300);
  });

  it("sent as a raw body with Content-Encoding: gzip is read too", async () => {
    const response = await fetch(`${app.url}/api/imports?filename=products.csv`, {
      method: "POST",
      headers: { "content-type": "text/csv", "content-encoding": "gzip" },
      body: gzipSync(CSV),
    });
    expect(response.status).toBe(202);
    const { id } = (await response.json()) as { id: string };
    expect(await app.waitForImport(id)).toMatchObject({ status: "completed", createdCount: 300 });
  });

  it("cut off is refused or failed saying so, and nothing is applied", async () => {
    const whole = gzipSync(CSV);
    const { status, error, item } = await uploaded(whole.subarray(0, Math.floor(whole.length * 0.6)), "products.csv.gz");
    const said = error ?? item?.error ?? "";
    expect(status === 202 ? item!.status : String(status)).toMatch(/^(failed|400)$/);
    expect(said).toContain("The gzip file is cut off");
    expect(await app.productsBySku()).toEqual([]);
  });
});

describe("a zip upload", () => {
  it("holding one CSV is read as that CSV", async () => {
    const { item } = await uploaded(await zipOf({ "export/products.csv": CSV }), "products.zip");
    expect(item).toMatchObject({ status: "completed", createdCount: 300, errorCount: 0 });
  });

  it("holding one workbook is read as that workbook", async () => {
    const workbook = await rawWorkbook(
      '<row r="1"><c r="A1" t="inlineStr"><is><t>sku</t></is></c><c r="B1" t="inlineStr"><is><t>name</t></is></c></row>' +
        '<row r="2"><c r="A2" t="inlineStr"><is><t>WB-1</t></is></c><c r="B2" t="inlineStr"><is><t>From a workbook</t></is></c></row>',
    );
    const { item } = await uploaded(await zipOf({ "catalog.xlsx": workbook }), "catalog.zip");
    expect(item).toMatchObject({ status: "completed", createdCount: 1 });
    expect(await app.productsBySku()).toMatchObject([{ sku: "WB-1", name: "From a workbook" }]);
  });

  it("holding two files fails, naming both, and nothing is applied", async () => {
    const { status, error, item } = await uploaded(await zipOf({ "a.csv": CSV, "b.csv": CSV }), "two.zip");
    const said = error ?? item?.error ?? "";
    expect(status === 202 ? item!.status : String(status)).toMatch(/^(failed|400)$/);
    expect(said).toBe('The zip holds more than one file ("a.csv", "b.csv"); zip one CSV, TSV or workbook.');
    expect(await app.productsBySku()).toEqual([]);
  });

  it("holding no file, or another archive, is refused with the reason", async () => {
    expect(await uploaded(await zipOf({ "__MACOSX/._a.csv": "x" }), "empty.zip")).toMatchObject({
      status: 400,
      error: "The zip holds no file; zip one CSV, TSV or workbook.",
    });
    expect(await uploaded(await zipOf({ "products.csv.gz": gzipSync(CSV) }), "nested.zip")).toMatchObject({
      status: 400,
      error: "The archive holds another archive; pack the CSV, TSV or workbook itself.",
    });
  });
});

describe("a body sent with Content-Encoding: gzip", () => {
  const multipart = (file: string) => {
    const boundary = "----packed-boundary";
    return {
      type: `multipart/form-data; boundary=${boundary}`,
      body: Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="products.csv"\r\nContent-Type: text/csv\r\n\r\n${file}\r\n--${boundary}--\r\n`,
      ),
    };
  };

  it("is decoded whole, a multipart form included", async () => {
    const { type, body } = multipart(CSV);
    const response = await fetch(`${app.url}/api/imports`, {
      method: "POST",
      headers: { "content-type": type, "content-encoding": "gzip" },
      body: gzipSync(body),
    });
    expect(response.status).toBe(202);
    const { id } = (await response.json()) as { id: string };
    expect(await app.waitForImport(id)).toMatchObject({ status: "completed", createdCount: 300, filename: "products.csv" });
  });

  it("cut off imports nothing, saying why; another encoding is refused before anything is read", async () => {
    const { type, body } = multipart(CSV);
    const whole = gzipSync(body);
    const response = await fetch(`${app.url}/api/imports`, {
      method: "POST",
      headers: { "content-type": type, "content-encoding": "gzip" },
      body: whole.subarray(0, Math.floor(whole.length * 0.7)),
    });
    const answer = (await response.json()) as { id?: string; error: string };
    expect(response.status).toBe(400);
    expect(answer.error).toContain("gzip encoding is cut off");
    if (answer.id) expect(await app.waitForImport(answer.id)).toMatchObject({ status: "failed" });
    expect(await app.productsBySku()).toEqual([]);
    const brotli = await fetch(`${app.url}/api/imports?filename=products.csv`, {
      method: "POST",
      headers: { "content-encoding": "br" },
      body: "sku,name\n",
    });
    expect(brotli.status).toBe(400);
    expect(((await brotli.json()) as { error: string }).error).toBe('Content-Encoding "br" cannot be read; send the body as it is or with gzip.');
  });
});

describe("the first bytes of a packed file", () => {
  it("are inspected as the file they start, before anything is uploaded", async () => {
    const big = ["sku,name,description,active", ...Array.from({ length: 40_000 }, (_, at) => `SKU-${at},Product ${at},Item ${at * 7919},true`)].join(
      "\n",
    );
    // POSTed, as the page sends a sample too large for a URL.
    const inspect = async (bytes: Buffer, filename: string) => {
      const sample = bytes.subarray(0, 48 * 1024).toString("base64");
      const response = await fetch(`${app.url}/api/trpc/imports.inspect`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ sample, filename, wholeFile: false }),
      });
      const answer = (await response.json()) as { result?: { data: { format: string; header: string[]; rows: string[][] } } };
      expect(answer.result, JSON.stringify(answer)).toBeDefined();
      return answer.result!.data;
    };
    const gzipped = await inspect(gzipSync(big), "products.csv.gz");
    expect(gzipped).toMatchObject({ format: "csv", header: ["sku", "name", "description", "active"] });
    expect(gzipped.rows[0]).toEqual(["SKU-0", "Product 0", "Item 0", "true"]);
    const zipped = await inspect(await zipOf({ "products.csv": big }), "products.zip");
    expect(zipped).toMatchObject({ format: "csv", header: ["sku", "name", "description", "active"] });
    expect(zipped.rows[1]).toEqual(["SKU-1", "Product 1", "Item 7919", "true"]);
  });
});
