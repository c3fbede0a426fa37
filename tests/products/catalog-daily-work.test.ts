import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { importCsv, recordedEvents, refusalOf, startTestApp, type TestApp } from "../support/test-app.js";
import { catalogLockAwaited, holdCatalogLock } from "../support/catalog-lock.js";
import { waitUntil } from "../support/wait.js";
import { messageSchemaOf } from "../../server/events/event-catalog.js";
import { SEARCH_INDEXES, unusableSearchIndexes } from "../../server/products/search-indexes.js";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.stop());
beforeEach(async () => {
  await app.resetCatalog();
  await sql`TRUNCATE events`.execute(app.database.db);
});

/** The outbox, each event checked against the schema the event catalog publishes. */
async function events() {
  const rows = await recordedEvents(app);
  for (const { type, data } of rows) messageSchemaOf(type).parse({ id: crypto.randomUUID(), type, createdAt: new Date().toISOString(), data });
  return rows;
}

const refusal = (procedure: string, input: unknown, method: "GET" | "POST" = "POST") => refusalOf(app, procedure, input, method);

const skus = (list: { items: { sku: string }[] }) => list.items.map((item) => item.sku);

/** `count` products named in one import, so they share created/updated times and need the id to break ties. */
async function importNumbered(count: number, prefix = "item", inactiveEvery = 0) {
  const rows = Array.from(
    { length: count },
    (_, i) => `${prefix}-${i + 1},Product ${i + 1},${inactiveEvery && i % inactiveEvery === 0 ? "false" : "true"}`,
  );
  return importCsv(app, `sku,name,active\n${rows.join("\n")}\n`);
}

describe("products.list sort", () => {
  it("sorts SKUs and names as people read them: numbers as numbers, case aside", async () => {
    await importCsv(app, "sku,name\nwc-item-10,banana\nwc-item-2,Apple\nwc-item-1,cherry\nWC-item-3,apple pie\n");
    // Without a sort, as before: the order imports add products in (by SKU key, characters compared one by one).
    expect(skus(await app.api.products.list.query({}))).toEqual(["wc-item-1", "wc-item-10", "wc-item-2", "WC-item-3"]);
    expect(skus(await app.api.products.list.query({ sort: "sku" }))).toEqual(["wc-item-1", "wc-item-2", "WC-item-3", "wc-item-10"]);
    expect(skus(await app.api.products.list.query({ sort: "sku", order: "desc" }))).toEqual(["wc-item-10", "WC-item-3", "wc-item-2", "wc-item-1"]);
    const names = (await app.api.products.list.query({ sort: "name" })).items.map((item) => item.name);
    expect(names).toEqual(["Apple", "apple pie", "banana", "cherry"]);
  });

  it("pages through ties in a stable order, with filters, for every sort and direction", async () => {
    await importNumbered(45, "tie", 3);
    // The inactive products are read through indexes of their own (migration 0014): the same rule holds.
    for (const [active, matching] of [
      [true, 30],
      [false, 15],
    ] as const) {
      for (const sort of ["sku", "name", "createdAt", "updatedAt"] as const) {
        for (const order of ["asc", "desc"] as const) {
          const label = `${sort} ${order}, active ${active}`;
          const pages = await Promise.all([1, 2, 3].map((page) => app.api.products.list.query({ sort, order, active, page, pageSize: 12 })));
          const seen = pages.flatMap(skus);
          expect(seen, label).toHaveLength(matching);
          expect(new Set(seen).size, label).toBe(matching);
          const again = await app.api.products.list.query({ sort, order, active, page: 2, pageSize: 12 });
          expect(skus(again), label).toEqual(skus(pages[1]!));
          const wanted = pages[0]!.items.every((item) => item.active === active);
          expect(wanted, label).toBe(true);
        }
      }
    }
    // Created together, the ties come in the order they were added (by id), reversed for desc.
    const byCreated = await app.api.products.list.query({ sort: "createdAt", order: "desc", pageSize: 3 });
    expect(skus(byCreated)).toEqual(skus(await app.api.products.list.query({ order: "desc", pageSize: 3 })));
    expect(skus(byCreated)).toEqual(["tie-9", "tie-8", "tie-7"]);
    const filtered = await app.api.products.list.query({ sort: "name", order: "desc", name: "product 1", pageSize: 3 });
    expect(filtered.items.map((item) => item.name)).toEqual(["Product 19", "Product 18", "Product 17"]);
  });

  it("puts the last updated first with updatedAt desc", async () => {
    await importNumbered(5);
    const third = (await app.api.products.list.query({ sku: "item-3" })).items[0]!;
    await app.api.products.update.mutate({ id: third.id, name: "Renamed" });
    expect(skus(await app.api.products.list.query({ sort: "updatedAt", order: "desc", pageSize: 1 }))).toEqual(["item-3"]);
  });

  it("refuses a sort field or order that does not exist with BAD_REQUEST naming it", async () => {
    expect(await refusal("products.list", { sort: "cost" }, "GET")).toEqual({
      code: "BAD_REQUEST",
      message: "sort: sort must be one of sku, name, price, stock, brand, category, group, createdAt, updatedAt",
    });
    expect(await refusal("products.list", { sort: "sku", order: "up" }, "GET")).toEqual({
      code: "BAD_REQUEST",
      message: "order: order must be asc or desc",
    });
  });
});

describe("products.bulkUpdate / bulkDelete", () => {
  it("deactivates listed ids, counting unknown ids and those already inactive, one product.updated each", async () => {
    await importNumbered(6, "ids", 3);
    const all = (await app.api.products.list.query({ sort: "sku" })).items;
    const chosen = [all[0]!.id, all[1]!.id, all[2]!.id, "999999"];
    await sql`TRUNCATE events`.execute(app.database.db);

    expect(await app.api.products.bulkUpdate.mutate({ ids: chosen, set: { active: false } })).toEqual({ updated: 2, unchanged: 1, unknown: 1 });
    const after = await app.api.products.list.query({ active: false, sort: "sku" });
    expect(skus(after)).toEqual(["ids-1", "ids-2", "ids-3", "ids-4"]);
    const changed = await events();
    expect(changed.map((event) => [event.type, event.data.sku])).toEqual([
      ["product.updated", "ids-2"],
      ["product.updated", "ids-3"],
    ]);
    expect(changed[0]!.data).toMatchObject({ active: false, lastChange: { kind: "bulk", importId: null } });
  });

  it("activates every product a filter matches, and the catalog only with all: true", async () => {
    await importNumbered(20, "flt", 2);
    expect(await app.api.products.bulkUpdate.mutate({ filter: { name: "product 1" }, set: { active: true } })).toEqual({
      updated: 6,
      unchanged: 5,
      unknown: 0,
    });
    expect(await refusal("products.bulkUpdate", { filter: {}, set: { active: false } })).toEqual({
      code: "BAD_REQUEST",
      message: "input: An empty filter means the whole catalog: send all: true to confirm",
    });
    expect(await refusal("products.bulkUpdate", { filter: { sku: "   " }, set: { active: false } })).toMatchObject({ code: "BAD_REQUEST" });
    expect(await app.api.products.bulkUpdate.mutate({ filter: {}, all: true, set: { active: false } })).toEqual({
      updated: 16,
      unchanged: 4,
      unknown: 0,
    });
    expect((await app.api.products.list.query({ active: true })).total).toBe(0);
  });

  it("sends one product event each up to 1,000 products and one bulk event beyond", async () => {
    await importNumbered(1_001, "many");
    await sql`TRUNCATE events`.execute(app.database.db);
    await app.api.products.bulkUpdate.mutate({ filter: { sku: "many-1" }, set: { active: false } }); // many-1, many-10.., many-100.., many-1000, many-1001
    const few = await events();
    expect(few).toHaveLength(1 + 10 + 100 + 2);
    expect(new Set(few.map((event) => event.type))).toEqual(new Set(["product.updated"]));

    await sql`TRUNCATE events`.execute(app.database.db);
    const ids = (await app.api.products.list.query({ pageSize: 200, active: true })).items.map((item) => item.id);
    await app.api.products.bulkUpdate.mutate({ ids, set: { active: false } });
    expect((await events()).map((event) => event.type)).toEqual(Array(200).fill("product.updated"));

    // 313 inactive now: activating them all is 313 events, deactivating all 1,001 afterwards one.
    await sql`TRUNCATE events`.execute(app.database.db);
    expect(await app.api.products.bulkUpdate.mutate({ all: true, set: { active: true } })).toMatchObject({ updated: 313 });
    expect(await events()).toHaveLength(313);
    await sql`TRUNCATE events`.execute(app.database.db);
    await app.api.products.bulkUpdate.mutate({ all: true, set: { active: false } });
    expect(await events()).toEqual([{ type: "products.bulk_updated", data: { filter: {}, set: { active: false }, count: 1_001 } }]);

    await sql`TRUNCATE events`.execute(app.database.db);
    expect(await app.api.products.bulkDelete.mutate({ filter: { sku: "many" } })).toEqual({ deleted: 1_001, unknown: 0 });
    expect(await events()).toEqual([{ type: "products.bulk_deleted", data: { filter: { sku: "many" }, count: 1_001 } }]);
    expect((await app.api.products.list.query({})).total).toBe(0);
  });

  it("deletes exactly 1,000 with one product.deleted each, keeping the count right", async () => {
    await importNumbered(1_003, "del");
    await sql`TRUNCATE events`.execute(app.database.db);
    const keep = ["del-1", "del-2", "del-3"];
    const ids = (await app.api.products.list.query({ pageSize: 200, sort: "sku", page: 1 })).items.filter((item) => !keep.includes(item.sku));
    // 1,000 ids over several pages.
    const allIds: string[] = [];
    for (let page = 1; allIds.length < 1_000; page += 1) {
      const items = (await app.api.products.list.query({ pageSize: 200, sort: "sku", order: "desc", page })).items;
      allIds.push(...items.map((item) => item.id));
    }
    expect(ids.length).toBeGreaterThan(0);
    expect(await app.api.products.bulkDelete.mutate({ ids: allIds.slice(0, 1_000) })).toEqual({ deleted: 1_000, unknown: 0 });
    const gone = await events();
    expect(gone).toHaveLength(1_000);
    expect(new Set(gone.map((event) => event.type))).toEqual(new Set(["product.deleted"]));
    expect(skus(await app.api.products.list.query({ sort: "sku" }))).toEqual(keep);
    expect((await app.api.products.list.query({})).total).toBe(3);
  });

  it("refuses both or neither of ids and filter, and more than 10,000 ids, with a clear BAD_REQUEST", async () => {
    expect(await refusal("products.bulkDelete", { ids: ["1"], filter: { sku: "a" } })).toEqual({
      code: "BAD_REQUEST",
      message: "input: Give either ids or filter, not both",
    });
    expect(await refusal("products.bulkDelete", {})).toEqual({
      code: "BAD_REQUEST",
      message: "input: Say which products: ids, or a filter (all: true for the whole catalog)",
    });
    const tooMany = Array.from({ length: 10_001 }, (_, i) => String(i + 1));
    expect(await refusal("products.bulkUpdate", { ids: tooMany, set: { active: false } })).toEqual({
      code: "BAD_REQUEST",
      message: "ids: ids: at most 10,000 at once; use a filter for more",
    });
    expect(await refusal("products.bulkUpdate", { ids: ["1"], set: {} })).toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("set.active"),
    });
  });

  it("changes nothing when it fails mid-way, and refuses while an import holds the catalog", async () => {
    await importNumbered(10, "atom");
    await sql`TRUNCATE events`.execute(app.database.db);
    // A trigger that fails on the eighth product the statement reaches.
    await sql`
      CREATE FUNCTION fail_on_atom_8() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.sku = 'atom-8' THEN RAISE EXCEPTION 'disk full'; END IF; RETURN NEW; END $$`.execute(app.database.db);
    await sql`CREATE TRIGGER fail_on_atom_8 BEFORE UPDATE ON products FOR EACH ROW EXECUTE FUNCTION fail_on_atom_8()`.execute(app.database.db);
    try {
      expect(await refusal("products.bulkUpdate", { all: true, set: { active: false } })).toMatchObject({ code: "INTERNAL_SERVER_ERROR" });
    } finally {
      await sql`DROP TRIGGER fail_on_atom_8 ON products`.execute(app.database.db);
      await sql`DROP FUNCTION fail_on_atom_8()`.execute(app.database.db);
    }
    expect((await app.api.products.list.query({ active: true })).total).toBe(10);
    expect(await events()).toEqual([]);

    const lock = await holdCatalogLock(app.database.connectionString);
    try {
      const pending = app.api.products.bulkDelete.mutate({ all: true });
      await catalogLockAwaited(app.database.pool);
      expect((await app.api.products.list.query({})).total).toBe(10);
      await lock.release();
      // It waited for the "import" and then went ahead.
      expect(await pending).toEqual({ deleted: 10, unknown: 0 });
    } finally {
      await lock.release().catch(() => {});
    }
  });

  it("deactivates a whole large catalog in one go, rebuilding the search and sort indexes after it", async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => `big-${i},Gadget ${i}`);
    await importCsv(app, `sku,name\n${rows.join("\n")}\n`);
    await app.searchIndexesSettled();
    expect(await app.api.products.bulkUpdate.mutate({ all: true, set: { active: false } })).toEqual({ updated: 20_000, unchanged: 0, unknown: 0 });
    // Rebuilt in the background, after the answer.
    await waitUntil("the search indexes to be rebuilt", async () => (await unusableSearchIndexes(app.database.db)).length === 0, 60_000, 100);
    const { rows: indexes } = await sql<{ name: string }>`
      SELECT indexrelid::regclass::text AS name FROM pg_index WHERE indrelid = 'products'::regclass AND indisvalid`.execute(app.database.db);
    const rebuilt = [...SEARCH_INDEXES.map((index) => index.name), "products_pkey", "products_sku_key"];
    expect(indexes.map((index) => index.name).sort()).toEqual(rebuilt.sort());
    const page = await app.api.products.list.query({ name: "gadget 1999", active: false, sort: "name", order: "desc" });
    expect(page.items.map((item) => item.name)).toEqual([
      "Gadget 19999",
      "Gadget 19998",
      "Gadget 19997",
      "Gadget 19996",
      "Gadget 19995",
      "Gadget 19994",
      "Gadget 19993",
      "Gadget 19992",
      "Gadget 19991",
      "Gadget 19990",
      "Gadget 1999",
    ]);
  });

  it("records where a product's values came from: the import, an edit, a bulk action", async () => {
    const imported = await importCsv(app, "sku,name\nsrc-1,One\nsrc-2,Two\n");
    const [one, two] = (await app.api.products.list.query({ sort: "sku" })).items;
    expect(one!.lastChange).toMatchObject({ kind: "import", importId: imported.id });
    await app.api.products.update.mutate({ id: one!.id, name: "Uno" });
    await app.api.products.bulkUpdate.mutate({ ids: [two!.id], set: { active: false } });
    const [edited, bulked] = (await app.api.products.list.query({ sort: "sku" })).items;
    expect(edited!.lastChange).toEqual({ kind: "edit", importId: null, at: edited!.updatedAt });
    expect(bulked!.lastChange).toEqual({ kind: "bulk", importId: null, at: bulked!.updatedAt });
  });

  it("names the file of each import a product's last change points to (imports.filenames), unknown ids left out", async () => {
    const imported = await importCsv(app, "sku,name\nsrc-1,One\n", "summer-feed.csv");
    expect(await app.api.imports.filenames.query({ ids: [imported.id, imported.id, "999999"] })).toEqual([
      { id: imported.id, filename: "summer-feed.csv" },
    ]);
    expect((await refusal("imports.filenames", { ids: ["x"] }, "GET")).code).toBe("BAD_REQUEST");
  });
});

describe("products.count", () => {
  it("counts every match exactly, past the list's 10,000 bound, and the whole catalog without filters", async () => {
    await importNumbered(10_050, "bulk", 10);
    const list = await app.api.products.list.query({ sku: "bulk" });
    expect(list).toMatchObject({ total: 10_000, totalExact: false });
    expect(await app.api.products.count.query({ sku: "bulk" })).toEqual({ count: 10_050 });
    expect(await app.api.products.count.query({ sku: "bulk", active: false })).toEqual({ count: 1_005 });
    expect(await app.api.products.count.query({ active: false })).toEqual({ count: 1_005 });
    expect(await app.api.products.count.query({ active: true })).toEqual({ count: 9_045 });
    expect(await app.api.products.count.query({})).toEqual({ count: 10_050 });
    expect(await app.api.products.count.query({ name: "   " })).toEqual({ count: 10_050 });
  });
});
