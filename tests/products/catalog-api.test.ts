import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { importCsv, recordedEvents, refusalOf, startTestApp, type TestApp } from "../support/test-app.js";
import { holdCatalogLock } from "../support/catalog-lock.js";
import { sleep } from "../support/wait.js";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.stop());
beforeEach(async () => {
  await app.resetCatalog();
  await sql`TRUNCATE events`.execute(app.database.db);
});

const events = () => recordedEvents(app);
const refusal = (procedure: string, input: unknown) => refusalOf(app, procedure, input);

describe("products.create / get / update / delete", () => {
  it("creates a product, trimmed, active by default, and records product.created with it", async () => {
    const product = await app.api.products.create.mutate({ sku: "  CAP-1 ", name: " Cap ", description: "Blue" });
    expect(product).toMatchObject({ sku: "CAP-1", name: "Cap", description: "Blue", active: true });
    expect(new Date(product.createdAt).toISOString()).toBe(product.createdAt);
    expect(await app.api.products.get.query({ id: product.id })).toEqual(product);
    expect(await events()).toEqual([{ type: "product.created", data: product }]);
    expect((await app.api.products.list.query({})).total).toBe(1);
  });

  it("refuses a SKU that exists in any case with CONFLICT naming it", async () => {
    await app.api.products.create.mutate({ sku: "äbc-1", name: "Lower" });
    expect(await refusal("products.create", { sku: "ÄBC-1", name: "Upper" })).toEqual({
      code: "CONFLICT",
      message: expect.stringContaining('"ÄBC-1" already exists (stored as "äbc-1")'),
    });
  });

  it("refuses bad input with BAD_REQUEST naming the field", async () => {
    expect(await refusal("products.create", { sku: "x", name: "   " })).toEqual({ code: "BAD_REQUEST", message: "name: Name is required" });
    expect(await refusal("products.create", { sku: "s".repeat(256), name: "Long" })).toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("sku: SKU must be at most 255 characters"),
    });
    expect((await app.trpcRaw("products.get", { id: "abc" })).body.error.data.code).toBe("BAD_REQUEST");
  });

  it("updates fields, refuses a clash with another SKU, and reports a missing product", async () => {
    const first = await app.api.products.create.mutate({ sku: "one", name: "One" });
    await app.api.products.create.mutate({ sku: "two", name: "Two" });
    const updated = await app.api.products.update.mutate({ id: first.id, name: "Uno", active: false });
    expect(updated).toMatchObject({ sku: "one", name: "Uno", active: false });
    expect(new Date(updated.updatedAt) >= new Date(first.updatedAt)).toBe(true);
    expect(await refusal("products.update", { id: first.id, sku: "TWO" })).toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining('"TWO"'),
    });
    expect(await refusal("products.update", { id: "999999", name: "Ghost" })).toMatchObject({ code: "NOT_FOUND" });
    expect((await events()).map((event) => event.type)).toEqual(["product.created", "product.created", "product.updated"]);
  });

  it("deletes a product and records product.deleted with its last state", async () => {
    const product = await app.api.products.create.mutate({ sku: "gone", name: "Gone" });
    expect(await app.api.products.delete.mutate({ id: product.id })).toEqual({ id: product.id });
    expect((await app.trpcRaw("products.get", { id: product.id })).body.error.data.code).toBe("NOT_FOUND");
    expect(await refusal("products.delete", { id: product.id })).toMatchObject({ code: "NOT_FOUND" });
    expect((await events()).at(-1)).toEqual({ type: "product.deleted", data: product });
    expect((await app.api.products.list.query({})).total).toBe(0);
  });
});

describe("products.deleteAll", () => {
  it("removes every product at once and records products.deleted_all with the count", async () => {
    await importCsv(app, `sku,name\n${Array.from({ length: 5000 }, (_, i) => `all-${i},Item ${i}`).join("\n")}\n`);
    expect(await app.api.products.deleteAll.mutate({})).toEqual({ deleted: 5000 });
    expect((await app.api.products.list.query({})).total).toBe(0);
    expect((await events()).at(-1)).toEqual({ type: "products.deleted_all", data: { deleted: 5000 } });
  });

  it("waits for an import being applied to finish, then deletes", async () => {
    await app.api.products.create.mutate({ sku: "wait", name: "Wait" });
    const lock = await holdCatalogLock(app.database.connectionString);
    const started = Date.now();
    const deleting = app.api.products.deleteAll.mutate({});
    // Held for a set time, so the wait the delete sits out can be measured below.
    await sleep(1000);
    await lock.release();
    expect(await deleting).toEqual({ deleted: 1 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  });

  it("refuses when an import is still being applied after 15 s, deleting nothing", async () => {
    await app.api.products.create.mutate({ sku: "stay", name: "Stay" });
    const lock = await holdCatalogLock(app.database.connectionString);
    try {
      expect(await refusal("products.deleteAll", {})).toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/busy/) });
    } finally {
      await lock.release();
    }
    expect((await app.api.products.list.query({})).total).toBe(1);
  });
});

describe("products.list filters", () => {
  beforeEach(async () => {
    for (const [sku, name, description, active] of [
      ["ÄBC-1", "Straße boots", "100% wool", true],
      ["abc_2", "Sandal", "Leather, 50% off", false],
      ["xyz-3", "Boot jack", "Tool", true],
    ] as const) {
      await app.api.products.create.mutate({ sku, name, description, active });
    }
  });
  const skus = async (input: object) => (await app.api.products.list.query(input)).items.map((item: { sku: string }) => item.sku);

  it("match text case-insensitively, Unicode included", async () => {
    expect(await skus({ sku: "äbc" })).toEqual(["ÄBC-1"]);
    expect(await skus({ name: "STRASSE" })).toEqual([]);
    expect(await skus({ name: "straße" })).toEqual(["ÄBC-1"]);
    expect(await skus({ name: "BOOT" })).toEqual(["ÄBC-1", "xyz-3"]);
  });

  it("treat % and _ as the characters typed", async () => {
    expect(await skus({ sku: "c_" })).toEqual(["abc_2"]);
    expect(await skus({ description: "0%" })).toEqual(["ÄBC-1", "abc_2"]);
    expect(await skus({ description: "%" })).toEqual(["ÄBC-1", "abc_2"]);
  });

  it("combine, and filter by active", async () => {
    expect(await skus({ active: false })).toEqual(["abc_2"]);
    expect(await skus({ name: "boot", active: true, description: "tool" })).toEqual(["xyz-3"]);
  });

  it("page with a total", async () => {
    const page = await app.api.products.list.query({ page: 2, pageSize: 2 });
    expect(page).toMatchObject({ total: 3, page: 2, pageSize: 2 });
    expect(page.items).toHaveLength(1);
    expect((await app.trpcRaw("products.list", { pageSize: 201 })).body.error.data.code).toBe("BAD_REQUEST");
  });
});

describe("export", () => {
  it("streams the filtered catalog as CSV, and importing it back changes nothing", async () => {
    await importCsv(app, 'sku,name,description,active\nround-1,"Comma, quote ""q""","two\nlines",no\nround-2,Plain,,yes\nother-3,Other,x,yes\n');
    const before = await sql`SELECT * FROM products ORDER BY id`.execute(app.database.db);
    const all = await fetch(`${app.url}/api/products/export`);
    expect(all.headers.get("content-type")).toMatch(/text\/csv/);
    const csv = await all.text();
    expect(csv.split("\n")[0]).toBe("sku,name,description,active,price,compare_at_price,stock,barcode,weight_grams,brand,category,tags");
    const filtered = await (await fetch(`${app.url}/api/products/export?sku=round&active=false`)).text();
    expect(filtered).toBe(
      'sku,name,description,active,price,compare_at_price,stock,barcode,weight_grams,brand,category,tags\nround-1,"Comma, quote ""q""","two\nlines",false,,,,,,,,\n',
    );

    const again = await importCsv(app, csv, "export.csv");
    expect(again).toMatchObject({ status: "completed", createdCount: 0, updatedCount: 3, errorCount: 0 });
    const after = await sql`SELECT * FROM products ORDER BY id`.execute(app.database.db);
    expect(after.rows).toEqual(before.rows);
  });

  it("refuses a bad filter with 400", async () => {
    expect((await fetch(`${app.url}/api/products/export?active=maybe`)).status).toBe(400);
  });
});

describe("events", () => {
  it("exist exactly when the change does: a change that rolls back leaves no event", async () => {
    await sql`
      CREATE FUNCTION refuse_event() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.data->>'sku' = 'rollback-me' THEN RAISE EXCEPTION 'the change fails after its event'; END IF;
        RETURN NEW;
      END $$`.execute(app.database.db);
    await sql`CREATE TRIGGER refuse_event BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION refuse_event()`.execute(app.database.db);
    try {
      const { body } = await app.trpcRaw("products.create", { sku: "rollback-me", name: "Never" }, "POST");
      expect(body.error).toBeDefined();
      expect((await app.api.products.list.query({})).total).toBe(0);
      expect(await events()).toEqual([]);
    } finally {
      await sql`DROP TRIGGER refuse_event ON events`.execute(app.database.db);
      await sql`DROP FUNCTION refuse_event()`.execute(app.database.db);
    }
  });

  it("imports record one import.completed with their counts, or import.failed with the reason", async () => {
    const done = await importCsv(app, "sku,name\nev-1,One\nev-2,Two\n,Bad\n", "events.csv");
    const broken = await app.uploadCsv('sku,name\nx,"never closed\n', "broken.csv");
    expect(broken.status).toBe(400);
    const recorded = await events();
    expect(recorded.map((event) => event.type)).toEqual(["import.completed", "import.failed"]);
    expect(recorded[0]!.data).toMatchObject({ id: done.id, filename: "events.csv", createdCount: 2, updatedCount: 0, errorCount: 1 });
    expect(recorded[1]!.data).toMatchObject({ filename: "broken.csv", status: "failed", error: expect.stringMatching(/^Line 2/) });
  });
});
