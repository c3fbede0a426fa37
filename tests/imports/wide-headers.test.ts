import { createHash } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
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

/** Column names as a supplier's attribute export has them: distinct, and too varied to compress into an index entry. */
const wideHeader = (width: number) =>
  Array.from({ length: width }, (_, i) => `attr ${createHash("sha256").update(String(i)).digest("hex").slice(0, 12)}`);

/** A CSV of `header` whose last two columns hold each product's SKU and name. */
function wideCsv(header: string[], products: [sku: string, name: string][]): string {
  const filler = Array.from({ length: header.length - 2 }, () => "x");
  return [header, ...products.map((product) => [...filler, ...product])].map((fields) => fields.join(",")).join("\n") + "\n";
}

describe("a mapping chosen for a wide header", () => {
  it.each([300, 2_000])("of %i columns is remembered with its import and used for the next file with that header", async (width) => {
    const header = wideHeader(width);
    const mapping = { sku: header[width - 2]!, name: header[width - 1]! };

    const first = await app.uploadCsv(wideCsv(header, [["W-1", "First"]]), "wide.csv", { mapping: JSON.stringify(mapping) });
    expect(first.status, JSON.stringify(first.body).slice(0, 300)).toBe(202);
    expect(await app.waitForImport(first.body.id)).toMatchObject({ status: "completed", createdCount: 1, mappingSource: "chosen" });
    const saved = await app.api.mappings.list.query({});
    expect(saved).toEqual([expect.objectContaining({ header, mapping })]);

    const next = wideCsv(header, [["W-2", "Second"]]);
    // As the Imports page asks, by POST: the sample of a wide header is longer than an address may be.
    const inspection = await app.trpcRaw("imports.inspect", { sample: Buffer.from(next).toString("base64"), filename: "next.csv" }, "POST");
    expect(inspection.body.result?.data).toMatchObject({ mappingSource: "saved", mapping });
    const second = await app.uploadCsv(next, "next.csv");
    expect(second.status).toBe(202);
    expect(await app.waitForImport(second.body.id)).toMatchObject({ status: "completed", createdCount: 1, mappingSource: "saved" });
    expect((await app.productsBySku()).map(({ sku, name }) => [sku, name])).toEqual([
      ["W-1", "First"],
      ["W-2", "Second"],
    ]);

    await app.api.mappings.delete.mutate({ id: saved[0]!.id });
  });
});
