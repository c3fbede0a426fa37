import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { importCsv, startTestApp, type TestApp } from "../support/test-app.js";
import pg from "pg";
import { sessionLock } from "../../db/advisory-locks.js";
import { SEARCH_INDEXES, repairSearchIndexes, unusableSearchIndexes } from "../../server/products/search-indexes.js";
import { sleep, waitUntil } from "../support/wait.js";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.stop());
beforeEach(() => app.resetCatalog());

const list = (input: object) => app.api.products.list.query(input);

async function searchIndexes() {
  const { rows } = await sql<{ name: string; oid: number; definition: string }>`
    SELECT c.relname AS name, c.oid, pg_get_indexdef(c.oid) AS definition
    FROM pg_class c WHERE c.relname = ANY(${SEARCH_INDEXES.map((index) => index.name)}::text[])
    ORDER BY c.relname`.execute(app.database.db);
  return rows;
}

function untilSearchIndexesUsable(timeoutMs = 60_000) {
  let unusable: string[] = [];
  return waitUntil(
    () => `the search indexes to be usable (still not: ${unusable})`,
    async () => (unusable = await unusableSearchIndexes(app.database.db)).length === 0,
    timeoutMs,
    100,
  );
}

describe("products.list totals", () => {
  it("are exact up to 10,000 and say 'more than' above, while paging goes on past the bound", async () => {
    const rows = Array.from({ length: 10_005 }, (_, i) => `bulk-${i},Widget ${i},${i % 10 === 0 ? "false" : "true"}`);
    await importCsv(app, `sku,name,active\n${rows.join("\n")}\n`);

    expect(await list({ name: "widget" })).toMatchObject({ total: 10_000, totalExact: false });
    expect(await list({ name: "wi" })).toMatchObject({ total: 10_000, totalExact: false });
    expect(await list({ sku: "BULK-1000" })).toMatchObject({ total: 6, totalExact: true });
    const inactiveWithNine = Array.from({ length: 10_005 }, (_, i) => i).filter((i) => i % 10 === 0 && String(i).includes("9"));
    expect(await list({ name: "9", active: false })).toMatchObject({ total: inactiveWithNine.length, totalExact: true });
    expect(await list({ active: false })).toMatchObject({ total: 1_001, totalExact: true });
    expect(await list({ active: true })).toMatchObject({ total: 9_004, totalExact: true });
    expect(await list({})).toMatchObject({ total: 10_005, totalExact: true });

    const beyond = await list({ name: "widget", page: 201, pageSize: 50 });
    expect(beyond.items.map((item: { sku: string }) => item.sku)).toEqual(["bulk-9995", "bulk-9996", "bulk-9997", "bulk-9998", "bulk-9999"]);
  });

  it("find short and long text the same way, case-insensitively", async () => {
    await importCsv(app, "sku,name\nÄx-1,Öl\nax-2,Ölkanne\nbx-3,Kanne\n");
    const skus = async (input: object) => (await list(input)).items.map((item: { sku: string }) => item.sku).sort();
    expect(await skus({ sku: "äX" })).toEqual(["Äx-1"]);
    expect(await skus({ name: "öl" })).toEqual(["ax-2", "Äx-1"]);
    expect(await skus({ name: "ÖLKANNE" })).toEqual(["ax-2"]);
    expect(await skus({ name: "kanne", sku: "x-" })).toEqual(["ax-2", "bx-3"]);
  });
});

describe("search indexes", () => {
  it("are dropped for a large import and rebuilt after it, exactly as the migration made them", async () => {
    const before = await searchIndexes();
    expect(before.map((index) => index.name).sort()).toEqual(SEARCH_INDEXES.map((index) => index.name).sort());

    const rows = Array.from({ length: 20_000 }, (_, i) => `big-${i},Gadget ${i},Made in batch ${i % 7}`);
    const done = await importCsv(app, `sku,name,description\n${rows.join("\n")}\n`);
    expect(done).toMatchObject({ status: "completed", createdCount: 20_000 });
    await untilSearchIndexesUsable();

    const after = await searchIndexes();
    expect(after.map(({ name, definition }) => ({ name, definition }))).toEqual(before.map(({ name, definition }) => ({ name, definition })));
    expect(after.map((index) => index.oid)).not.toEqual(before.map((index) => index.oid));
    expect((await list({ description: "BATCH 3", name: "gadget 1000" })).items.map((item: { sku: string }) => item.sku)).toEqual(["big-10006"]);

    // The planner knows the new rows at once (not a minute later, when autovacuum comes round):
    // the seven descriptions, each shared by 1/7 of the catalog.
    const { rows: stats } = await sql<{ n_distinct: number }>`
      SELECT n_distinct FROM pg_stats WHERE tablename = 'products' AND attname = 'description'`.execute(app.database.db);
    expect(stats.map((row) => Number(row.n_distinct))).toEqual([7]);
  });

  it("that a crash left missing or half-built are rebuilt, and filters keep answering meanwhile", async () => {
    await importCsv(app, "sku,name,description\nkeep-1,Lamp,Brass desk lamp\nkeep-2,Chair,Oak\n");
    await sql`DROP INDEX products_name_search`.execute(app.database.db);
    await sql`UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'products_description_search'::regclass`.execute(app.database.db);
    expect((await unusableSearchIndexes(app.database.db)).sort()).toEqual(["products_description_search", "products_name_search"]);
    expect((await list({ name: "lamp", description: "brass" })).items).toHaveLength(1);

    await repairSearchIndexes(app.database.pool, app.database.db, app.log);
    expect(await unusableSearchIndexes(app.database.db)).toEqual([]);
    expect((await list({ name: "lamp", description: "brass" })).items).toHaveLength(1);
  });

  it("are rebuilt even while a writer holds the catalog, without losing its write", async () => {
    await importCsv(app, "sku,name\nheld-1,Kettle\nheld-2,Teapot\n");
    await sql`DROP INDEX products_name_search`.execute(app.database.db);
    const writer = new pg.Client({ connectionString: app.database.connectionString });
    await writer.connect();
    await writer.query("BEGIN");
    await writer.query("UPDATE products SET name = 'Kettle, steel' WHERE sku = 'held-1'");
    // The plain build cannot start beside the open write: after its lock wait it builds concurrently,
    // which finishes once the writer commits.
    const repairing = repairSearchIndexes(app.database.pool, app.database.db, app.log);
    const building = sql`SELECT 1 FROM pg_stat_activity WHERE query LIKE 'CREATE INDEX CONCURRENTLY products_name_search %' AND state = 'active'`;
    await waitUntil("the concurrent build to wait for the writer", async () => (await building.execute(app.database.db)).rows.length > 0, 10_000);
    expect(await unusableSearchIndexes(app.database.db)).toContain("products_name_search");
    await writer.query("COMMIT");
    await writer.end();
    await repairing;
    expect(await unusableSearchIndexes(app.database.db)).toEqual([]);
    expect((await list({ name: "kettle, st" })).items.map((item: { sku: string }) => item.sku)).toEqual(["held-1"]);
  });

  it("being rebuilt make products.deleteAll wait for the rebuild, not deadlock or fail", async () => {
    await importCsv(app, "sku,name\nlast-1,One\nlast-2,Two\n");
    const rebuilder = new pg.Client({ connectionString: app.database.connectionString });
    await rebuilder.connect();
    await sessionLock(rebuilder, "searchIndexes");
    const started = Date.now();
    const deleting = app.api.products.deleteAll.mutate({});
    // Held for a set time, so the wait the delete sits out can be measured below.
    await sleep(700);
    expect((await list({})).total).toBe(2);
    await rebuilder.end();
    expect(await deleting).toEqual({ deleted: 2 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(700);
    expect((await list({})).total).toBe(0);
  });
});
