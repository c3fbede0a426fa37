import { sql } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { importCsv, recordedEvents, refusalOf, startTestApp, type TestApp } from "../support/test-app.js";
import { waitUntil } from "../support/wait.js";
import { messageSchemaOf } from "../../server/events/event-catalog.js";
import { unusableSearchIndexes } from "../../server/products/search-indexes.js";
import { deleteEveryField } from "../support/custom-fields.js";

/**
 * products.bulkUpdate beyond the active flag (CONTRACT.md "Typed fields", bulk): any built-in field
 * set or cleared, tags added or removed, for listed ids or a filter, with the same guarantees as
 * activating: only products that change are written and counted, and their events say what changed.
 */

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.stop());
beforeEach(async () => {
  await app.resetCatalog();
  await deleteEveryField(app.api);
  await sql`TRUNCATE events`.execute(app.database.db);
});

const refusal = (input: unknown) => refusalOf(app, "products.bulkUpdate", input);
const bulk = (input: Parameters<TestApp["api"]["products"]["bulkUpdate"]["mutate"]>[0]) => app.api.products.bulkUpdate.mutate(input);

/** The outbox, each event checked against the schema the event catalog publishes; emptied after reading. */
async function takeEvents() {
  const rows = await recordedEvents(app);
  for (const { type, data } of rows) messageSchemaOf(type).parse({ id: crypto.randomUUID(), type, createdAt: new Date().toISOString(), data });
  await sql`TRUNCATE events`.execute(app.database.db);
  return rows;
}

async function create(sku: string, fields: Record<string, unknown> = {}) {
  return app.api.products.create.mutate({ sku, name: `Product ${sku}`, ...fields });
}

const bySku = async () => Object.fromEntries((await app.api.products.list.query({ pageSize: 200 })).items.map((item) => [item.sku, item]));

describe("set", () => {
  it("sets each kind of field, read by products.update's rules, and counts only the products it changes", async () => {
    const a = await create("A", { price: "5.00", brand: "Acme" });
    const b = await create("B");
    await takeEvents();
    const set = {
      price: "12,50",
      compareAtPrice: 20,
      stock: "1,200",
      barcode: " 4006381333931 ",
      weightGrams: "85.5",
      brand: "Northwind",
      category: "Apparel>Shirts",
      tags: ["cotton", "Cotton", " summer "],
      active: false,
    };
    expect(await bulk({ ids: [a.id, b.id], set })).toEqual({ updated: 2, unchanged: 0, unknown: 0 });
    const stored = {
      price: "12.50",
      compareAtPrice: "20.00",
      stock: 1200,
      barcode: "4006381333931",
      weightGrams: "85.5",
      brand: "Northwind",
      category: "Apparel > Shirts",
      tags: ["cotton", "summer"],
      active: false,
    };
    const after = await bySku();
    for (const sku of ["A", "B"]) {
      expect(after[sku]).toMatchObject(stored);
      expect(after[sku]!.lastChange).toMatchObject({ kind: "bulk", importId: null });
    }
    expect((await takeEvents()).map((event) => event.type)).toEqual(["product.updated", "product.updated"]);

    // The same again changes nothing: nothing written, no event, both counted unchanged.
    expect(await bulk({ ids: [a.id, b.id], set })).toEqual({ updated: 0, unchanged: 2, unknown: 0 });
    expect((await bySku()).A!.updatedAt).toBe(after.A!.updatedAt);
    expect(await takeEvents()).toEqual([]);
  });

  it("clears a field with null (tags to none), leaving the products that had no value alone", async () => {
    const full = await create("FULL", { price: "9.90", stock: 3, brand: "Acme", category: "Home", tags: ["red"] });
    const bare = await create("BARE");
    await takeEvents();
    const cleared = { price: null, stock: null, brand: null, category: null, tags: null };
    expect(await bulk({ ids: [full.id, bare.id], set: cleared })).toEqual({ updated: 1, unchanged: 1, unknown: 0 });
    expect((await bySku()).FULL).toMatchObject({ price: null, stock: null, brand: null, category: null, tags: [] });
    const [event] = await takeEvents();
    expect(event!.data.previous).toEqual({ price: "9.90", stock: 3, brand: "Acme", category: "Home", tags: ["red"] });
  });

  it("sets a field on every product a filter matches, and nothing else", async () => {
    await importCsv(app, "sku,name,brand,price\nnw-1,Cap,Northwind,10\nnw-2,Hat,northwind,12\nnw-3,Scarf,Northwind,8.00\nac-1,Mug,Acme,10\n");
    await takeEvents();
    expect(await bulk({ filter: { brand: "NORTHWIND" }, set: { price: "8" } })).toEqual({ updated: 2, unchanged: 1, unknown: 0 });
    const after = await bySku();
    expect(Object.fromEntries(Object.values(after).map((item) => [item.sku, item.price]))).toEqual({
      "nw-1": "8.00",
      "nw-2": "8.00",
      "nw-3": "8.00",
      "ac-1": "10.00",
    });
    expect((await takeEvents()).map((event) => event.data.sku).sort()).toEqual(["nw-1", "nw-2"]);
  });

  it("says in each product.updated event the earlier values of the fields that changed for that product", async () => {
    const one = await create("ONE", { price: "10.00", brand: "Acme" });
    const two = await create("TWO", { price: "12.00", brand: "Other" });
    await takeEvents();
    await bulk({ ids: [one.id, two.id], set: { price: 12, brand: "Acme" } });
    const events = Object.fromEntries((await takeEvents()).map((event) => [event.data.sku, event.data]));
    expect(events.ONE).toMatchObject({ price: "12.00", brand: "Acme", previous: { price: "10.00" } });
    expect(events.ONE.previous).toEqual({ price: "10.00" });
    expect(events.TWO.previous).toEqual({ brand: "Other" });
    expect(events.TWO).toEqual({ ...(await app.api.products.get.query({ id: two.id })), previous: { brand: "Other" } });
  });
});

describe("addTags / removeTags", () => {
  it("adds tags a product lacks, by case, keeping its own and their order; removes them whatever their case", async () => {
    const summer = await create("SUMMER", { tags: ["Summer", "cotton"] });
    const bare = await create("BARE");
    const sale = await create("SALE", { tags: ["SALE", "new"] });
    await takeEvents();
    const ids = [summer.id, bare.id, sale.id];
    // Read as a product's tags are: trimmed, blanks and repeats by case dropped.
    expect(await bulk({ ids, addTags: ["summer", "Sale", "sale", " new ", ""] })).toEqual({ updated: 3, unchanged: 0, unknown: 0 });
    let after = await bySku();
    expect(after.SUMMER!.tags).toEqual(["Summer", "cotton", "Sale", "new"]);
    expect(after.BARE!.tags).toEqual(["summer", "Sale", "new"]);
    expect(after.SALE!.tags).toEqual(["SALE", "new", "summer"]);
    const previous = Object.fromEntries((await takeEvents()).map((event) => [event.data.sku, event.data.previous]));
    expect(previous).toEqual({ SUMMER: { tags: ["Summer", "cotton"] }, BARE: { tags: [] }, SALE: { tags: ["SALE", "new"] } });

    expect(await bulk({ ids, addTags: ["NEW"] })).toEqual({ updated: 0, unchanged: 3, unknown: 0 });
    expect(await bulk({ ids, removeTags: ["COTTON", "sale"] })).toEqual({ updated: 3, unchanged: 0, unknown: 0 });
    after = await bySku();
    expect(after.SUMMER!.tags).toEqual(["Summer", "new"]);
    expect(after.BARE!.tags).toEqual(["summer", "new"]);
    expect(after.SALE!.tags).toEqual(["new", "summer"]);
    expect(await bulk({ ids, removeTags: ["cotton"] })).toEqual({ updated: 0, unchanged: 3, unknown: 0 });

    // Added and removed at once, beside a field.
    expect(await bulk({ filter: { tag: "summer" }, addTags: ["autumn"], removeTags: ["SUMMER"], set: { stock: 0 } })).toEqual({
      updated: 3,
      unchanged: 0,
      unknown: 0,
    });
    after = await bySku();
    expect(Object.values(after).map((item) => [item.sku, item.tags, item.stock])).toEqual(
      expect.arrayContaining([
        ["SUMMER", ["new", "autumn"], 0],
        ["BARE", ["new", "autumn"], 0],
        ["SALE", ["new", "autumn"], 0],
      ]),
    );
  });

  it("refuses tags that would take a product past 250, naming how many products, and changes nothing", async () => {
    const many = (count: number, prefix: string) => Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
    const full = await create("FULL", { tags: many(249, "t") });
    const near = await create("NEAR", { tags: many(248, "t") });
    const full2 = await create("FULL2", { tags: many(250, "t") });
    const bare = await create("BARE");
    await takeEvents();
    const before = await bySku();
    const ids = [full.id, near.id, full2.id, bare.id];
    expect(await refusal({ ids, addTags: ["x", "y"], set: { brand: "Acme" } })).toEqual({
      code: "BAD_REQUEST",
      message: "addTags: Nothing was changed: adding these tags would give 2 products more than 250 tags, the most a product can have.",
    });
    expect(await bySku()).toEqual(before);
    expect(await takeEvents()).toEqual([]);
    // A tag a product has already does not count against it: FULL reaches exactly 250.
    expect(await bulk({ ids: [full.id, near.id, bare.id], addTags: ["T-0", "x"] })).toEqual({ updated: 3, unchanged: 0, unknown: 0 });
    const after = await bySku();
    expect(after.FULL!.tags).toHaveLength(250);
    expect(after.NEAR!.tags).toEqual([...many(248, "t"), "x"]);
    expect(after.BARE!.tags).toEqual(["T-0", "x"]);
  });
});

describe("fields of your own", () => {
  it("sets and clears them on every product a filter matches, merged by key, with each product's earlier values in its event", async () => {
    await app.api.fields.create.mutate({ label: "Fit", type: "choice", options: ["Slim", "Regular"] });
    await app.api.fields.create.mutate({ label: "Material", type: "text" });
    await create("A-1", { brand: "Acme", attributes: { fit: "Slim", material: "Wool" } });
    await create("A-2", { brand: "Acme", attributes: { material: "Silk" } });
    await create("B-1", { brand: "Other", attributes: { fit: "Slim" } });
    await takeEvents();
    expect(await bulk({ filter: { brand: "Acme" }, set: { attributes: { fit: "regular", material: null } } })).toEqual({
      updated: 2,
      unchanged: 0,
      unknown: 0,
    });
    const after = await bySku();
    expect([after["A-1"]!.attributes, after["A-2"]!.attributes, after["B-1"]!.attributes]).toEqual([
      { fit: "Regular" },
      { fit: "Regular" },
      { fit: "Slim" },
    ]);
    const events = await takeEvents();
    expect(
      events.map(({ data }) => [(data as { sku: string }).sku, (data as { previous: { attributes?: unknown } }).previous.attributes]).sort(),
    ).toEqual([
      ["A-1", { fit: "Slim", material: "Wool" }],
      ["A-2", { material: "Silk" }],
    ]);
    expect(await bulk({ filter: { attributes: { fit: "Regular" } }, set: { attributes: { fit: "Regular" } } })).toEqual({
      updated: 0,
      unchanged: 2,
      unknown: 0,
    });
    expect(await refusal({ all: true, set: { attributes: { fit: "Huge" } } })).toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining('attributes.fit "Huge" is not one of the options'),
    });
    expect(await refusal({ all: true, set: { attributes: { colour: "red" } } })).toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("attributes.colour is not a field"),
    });
  });
});

describe("bad input", () => {
  it("names an unknown field, a value that does not read, and a change that says nothing or contradicts itself", async () => {
    const product = await create("ONE", { price: "1.00" });
    const ids = [product.id];
    expect(await refusal({ ids, set: { sku: "X", colour: "red" } })).toEqual({
      code: "BAD_REQUEST",
      message:
        'set: set cannot change "sku", "colour"; it takes active, price, compareAtPrice, stock, barcode, weightGrams, brand, category, tags, group and attributes',
    });
    expect(await refusal({ ids, set: { price: "abc" } })).toEqual({ code: "BAD_REQUEST", message: 'set.price: price "abc" is not a number' });
    expect(await refusal({ ids, set: { price: -1 } })).toEqual({
      code: "BAD_REQUEST",
      message: "set.price: price -1 is negative; a price is 0 or more",
    });
    expect(await refusal({ ids, set: { stock: 1.5 } })).toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("set.stock:") });
    expect(await refusal({ ids, set: { active: "yes" } })).toEqual({ code: "BAD_REQUEST", message: "set.active: active must be true or false" });
    expect(await refusal({ ids, addTags: ["a,b"] })).toEqual({
      code: "BAD_REQUEST",
      message: 'addTags: addTags has the tag "a,b" with a comma; a tag cannot hold one',
    });
    const nothing = "input: Nothing to change: give set (such as set.active or set.price), addTags or removeTags";
    expect(await refusal({ ids })).toEqual({ code: "BAD_REQUEST", message: nothing });
    expect(await refusal({ ids, set: {}, addTags: [" "], removeTags: [] })).toEqual({ code: "BAD_REQUEST", message: nothing });
    expect(await refusal({ ids, set: { tags: ["a"] }, addTags: ["b"] })).toEqual({
      code: "BAD_REQUEST",
      message: "input: set.tags replaces every tag: give it, or addTags / removeTags, not both",
    });
    expect(await refusal({ ids, addTags: ["Sale", "new"], removeTags: ["sale"] })).toEqual({
      code: "BAD_REQUEST",
      message: 'input: "Sale" cannot be both added and removed',
    });
    expect((await app.api.products.get.query({ id: product.id })).price).toBe("1.00");
  });
});

describe("a large catalog", () => {
  it("drops the search indexes for a write only when enough products differ, not for those it would leave alone", async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => `big-${i},Gadget ${i},x`);
    await importCsv(app, `sku,name,tags\n${rows.join("\n")}\n`);
    await app.searchIndexesSettled();
    expect(await bulk({ all: true, addTags: ["X"] })).toEqual({ updated: 0, unchanged: 20_000, unknown: 0 });
    // Nothing differed: every index stayed where it was (a dropped one is rebuilt only after the answer).
    expect(await unusableSearchIndexes(app.database.db)).toEqual([]);

    expect(await bulk({ all: true, addTags: ["y"], set: { stock: 4 } })).toEqual({ updated: 20_000, unchanged: 0, unknown: 0 });
    await waitUntil("the search indexes to be rebuilt", async () => (await unusableSearchIndexes(app.database.db)).length === 0, 60_000, 100);
    expect(await app.api.products.count.query({ tag: "Y", stockMin: 4, stockMax: 4 })).toEqual({ count: 20_000 });
    const page = await app.api.products.list.query({ name: "gadget 1999", sort: "name", order: "desc", pageSize: 2 });
    expect(page.items.map((item) => [item.name, item.tags])).toEqual([
      ["Gadget 19999", ["x", "y"]],
      ["Gadget 19998", ["x", "y"]],
    ]);
  });
});

describe("more than 1,000 products", () => {
  it("sends one products.bulk_updated with what was set, added and removed, and the count of those that changed", async () => {
    const rows = Array.from({ length: 1_003 }, (_, i) => `many-${i},Product ${i},${i < 2 ? "keep" : ""}`);
    await importCsv(app, `sku,name,tags\n${rows.join("\n")}\n`);
    await takeEvents();
    // Two products have the tag and the price already: 1,001 change, one event for them all.
    await bulk({ filter: { tag: "keep" }, set: { price: "5" } });
    await takeEvents();
    expect(await bulk({ filter: { sku: "many" }, set: { price: 5 }, addTags: ["keep"], removeTags: ["old"] })).toEqual({
      updated: 1_001,
      unchanged: 2,
      unknown: 0,
    });
    expect(await takeEvents()).toEqual([
      {
        type: "products.bulk_updated",
        data: { filter: { sku: "many" }, set: { price: "5.00" }, addTags: ["keep"], removeTags: ["old"], count: 1_001 },
      },
    ]);
    expect(await app.api.products.count.query({ tag: "KEEP", priceMin: "5", priceMax: "5" })).toEqual({ count: 1_003 });

    expect(await bulk({ all: true, removeTags: ["keep"] })).toMatchObject({ updated: 1_003 });
    expect(await takeEvents()).toEqual([{ type: "products.bulk_updated", data: { filter: {}, set: {}, removeTags: ["keep"], count: 1_003 } }]);
  });

  it("names a custom field's filter in it, as the list read it", async () => {
    await app.api.fields.create.mutate({ label: "Material", type: "text" });
    await app.api.fields.create.mutate({ label: "Width", type: "number" });
    const rows = Array.from({ length: 1_003 }, (_, i) => `fab-${i},Fabric ${i},${i < 1_001 ? "Cotton" : "Wool"},${i}`);
    await importCsv(app, `sku,name,material,width\n${rows.join("\n")}\n`);
    await takeEvents();
    const filter = { attributes: { material: "Cotton", width: { min: "0", max: 2_000 } } };
    expect(await bulk({ filter, addTags: ["natural"] })).toEqual({ updated: 1_001, unchanged: 0, unknown: 0 });
    expect(await takeEvents()).toEqual([
      {
        type: "products.bulk_updated",
        data: { filter: { attributes: { material: "Cotton", width: { min: 0, max: 2_000 } } }, set: {}, addTags: ["natural"], count: 1_001 },
      },
    ]);
    expect(await app.api.products.count.query({ tag: "natural" })).toEqual({ count: 1_001 });
  });
});
