import { sql } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { recordedEvents, refusalOf, startTestApp, type TestApp } from "../support/test-app.js";

/**
 * products.create / update with the typed commerce fields (CONTRACT.md "Typed fields"): the
 * importer's rules, one field at a time, null to clear, and `product.updated`'s `previous`.
 */

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.stop());
beforeEach(async () => {
  await app.resetCatalog();
  await sql`TRUNCATE events`.execute(app.database.db);
});

const refusal = (procedure: string, input: unknown) => refusalOf(app, procedure, input);
const FIELDS = ["price", "compareAtPrice", "stock", "barcode", "weightGrams", "brand", "category", "tags"] as const;
const EMPTY = { price: null, compareAtPrice: null, stock: null, barcode: null, weightGrams: null, brand: null, category: null, tags: [] };
const FULL = {
  price: "12.50",
  compareAtPrice: "19.99",
  stock: 7,
  barcode: "0012345678905",
  weightGrams: "250.5",
  brand: "Acme",
  category: "Home > Kitchen",
  tags: ["blue", "new arrival"],
};
const commerceOf = (product: Record<string, unknown>) => Object.fromEntries(FIELDS.map((field) => [field, product[field]]));

async function createFull(sku = "MUG-1") {
  return app.api.products.create.mutate({
    sku,
    name: "Mug",
    price: 12.5,
    compareAtPrice: "19.99",
    stock: 7,
    barcode: "0012345678905",
    weightGrams: 250.5,
    brand: " Acme ",
    category: "Home>Kitchen",
    tags: ["blue", " new arrival ", "Blue"],
  });
}

describe("products.create", () => {
  it("takes every field, decimals as a number or a string, read by the importer's rules, and records them in product.created", async () => {
    const product = await createFull();
    expect(commerceOf(product)).toEqual(FULL);
    expect(await app.api.products.get.query({ id: product.id })).toEqual(product);
    expect(await recordedEvents(app)).toEqual([{ type: "product.created", data: product }]);
  });

  it("leaves out what it is not given: every field empty, no tags", async () => {
    const product = await app.api.products.create.mutate({ sku: "BARE", name: "Bare" });
    expect(commerceOf(product)).toEqual(EMPTY);
  });

  it("reads text decimals exactly, and stock given as text", async () => {
    const product = await app.api.products.create.mutate({
      sku: "EXACT",
      name: "Exact",
      price: "1234567.8912",
      compareAtPrice: "0",
      stock: "-3",
      weightGrams: "0.001",
    });
    expect(commerceOf(product)).toMatchObject({ price: "1234567.8912", compareAtPrice: "0.00", stock: -3, weightGrams: "0.001" });
  });

  it.each([
    ["a negative price", "price", -1],
    ["a word for a price", "price", "abc"],
    ["a price with five decimals", "price", "1.23456"],
    ["a negative compare-at price", "compareAtPrice", "-0.01"],
    ["stock of 1.5", "stock", 1.5],
    ["a word for stock", "stock", "many"],
    ["a 65-character barcode", "barcode", "1".repeat(65)],
    ["a barcode in scientific notation", "barcode", "4.00638E+12"],
    ["a negative weight", "weightGrams", -2],
    ["a 256-character brand", "brand", "b".repeat(256)],
    ["a 1,001-character category", "category", "c".repeat(1001)],
    ["a tag with a comma", "tags", ["fine", "red, blue"]],
    ["a 256-character tag", "tags", ["t".repeat(256)]],
  ])("refuses %s with BAD_REQUEST naming the field, and stores nothing", async (_label, field, given) => {
    const refused = await refusal("products.create", { sku: "BAD", name: "Bad", [field]: given });
    expect(refused.code).toBe("BAD_REQUEST");
    expect(refused.message).toMatch(new RegExp(`^${field}: `));
    expect((await app.api.products.list.query({})).total).toBe(0);
    expect(await recordedEvents(app)).toEqual([]);
  });
});

describe("products.update", () => {
  it("changes only the fields it is given", async () => {
    const product = await createFull();
    const updated = await app.api.products.update.mutate({ id: product.id, price: "15" });
    expect(commerceOf(updated)).toEqual({ ...FULL, price: "15.00" });
    const again = await app.api.products.update.mutate({ id: product.id, tags: ["sale"], stock: 0 });
    expect(commerceOf(again)).toEqual({ ...FULL, price: "15.00", tags: ["sale"], stock: 0 });
    expect(commerceOf(await app.api.products.get.query({ id: product.id }))).toEqual(commerceOf(again));
  });

  it("clears a field set to null (tags to [])", async () => {
    const product = await createFull();
    const cleared = await app.api.products.update.mutate({ id: product.id, price: null, barcode: null, brand: null, tags: null });
    expect(commerceOf(cleared)).toEqual({ ...FULL, price: null, barcode: null, brand: null, tags: [] });
  });

  it("refuses a value the importer would refuse, naming the field, and leaves the product as it was", async () => {
    const product = await createFull();
    for (const [field, given] of [
      ["price", -5],
      ["stock", 1.5],
      ["tags", ["a,b"]],
      ["barcode", "9".repeat(65)],
    ] as const) {
      const refused = await refusal("products.update", { id: product.id, name: "Renamed", [field]: given });
      expect(refused, field).toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(new RegExp(`^${field}: `)) });
    }
    expect(await app.api.products.get.query({ id: product.id })).toEqual(product);
    expect((await recordedEvents(app)).map((event) => event.type)).toEqual(["product.created"]);
  });

  it("records product.updated whose previous holds the earlier values of exactly the fields that changed", async () => {
    const product = await createFull();
    const updated = await app.api.products.update.mutate({ id: product.id, price: 9.99, stock: "7", brand: "Acme", tags: ["blue"], name: "Big mug" });
    const events = await recordedEvents(app);
    expect(events.map((event) => event.type)).toEqual(["product.created", "product.updated"]);
    const { previous, ...data } = events[1]!.data;
    expect(data).toEqual(updated);
    // stock and brand were given their own values: not changed, so not in previous.
    expect(previous).toEqual({ name: "Mug", price: "12.50", tags: ["blue", "new arrival"] });

    await app.api.products.update.mutate({ id: product.id, category: null, weightGrams: "250.50" });
    const last = (await recordedEvents(app)).at(-1)!;
    // 250.50 is the same weight as 250.5: only the category changed.
    expect(last).toMatchObject({ type: "product.updated", data: { category: null } });
    expect(last.data.previous).toEqual({ category: "Home > Kitchen" });
  });
});
