import { sql } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { dropExpiredStaging } from "../../server/imports/staging/staging-retention.js";
import { createLogger } from "../../server/logger.js";
import { isBulkWrite, SEARCH_INDEXES, unusableSearchIndexes } from "../../server/products/search-indexes.js";
import { holdCatalogLock } from "../support/catalog-lock.js";
import { importCsv, startTestApp, type TestApp } from "../support/test-app.js";
import { sleep } from "../support/wait.js";

/**
 * Review, modes and undo (CONTRACT.md "Review, modes, undo") against a real server and Postgres.
 * The counts are checked against a model of the import rules written here in plain JS.
 */

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.stop());
beforeEach(() => app.resetCatalog());

type Mode = "upsert" | "create-only" | "update-only" | "sync";
interface Options {
  mode?: Mode;
  syncAction?: "deactivate" | "delete";
  emptyDescription?: "clear" | "keep";
}
interface Row {
  sku: string;
  name: string;
  description: string;
  active: string;
}
interface Product {
  sku: string;
  name: string;
  description: string;
  active: boolean;
}

const csv = (rows: Row[]) =>
  ["sku,name,description,active", ...rows.map((r) => [r.sku, r.name, r.description, r.active].join(","))].join("\n") + "\n";
const ACTIVE: Record<string, boolean> = { yes: true, no: false, true: true, false: false };
const key = (sku: string) => sku.trim().toLowerCase();

/** The import rules of CONTRACT.md for one file against one catalog: the review's counts and the catalog after. */
function model(catalog: Map<string, Product>, rows: Row[], options: Options) {
  const mode = options.mode ?? "upsert";
  const latest = new Map<string, Row>();
  const rejectedKeys = new Set<string>();
  let rejected = 0;
  for (const row of rows) {
    if (!row.sku.trim() || !row.name.trim() || !(row.active in ACTIVE)) {
      rejected += 1;
      if (row.sku.trim()) rejectedKeys.add(key(row.sku));
      continue;
    }
    latest.set(key(row.sku), row);
  }
  const after = new Map(catalog);
  const counts = { created: 0, updated: 0, unchanged: 0, skipped: 0, removed: 0, rejected, repeated: rows.length - rejected - latest.size };
  const changed = { sku: 0, name: 0, description: 0, active: 0 };
  for (const [k, row] of latest) {
    const stored = catalog.get(k);
    const next: Product = {
      sku: row.sku.trim(),
      name: row.name.trim(),
      description: options.emptyDescription === "keep" && row.description === "" && stored ? stored.description : row.description,
      active: ACTIVE[row.active]!,
    };
    if (!stored) {
      if (mode === "update-only") counts.skipped += 1;
      else {
        counts.created += 1;
        after.set(k, next);
      }
      continue;
    }
    if (mode === "create-only") {
      counts.skipped += 1;
      continue;
    }
    const fields = (["sku", "name", "description", "active"] as const).filter((field) => stored[field] !== next[field]);
    if (fields.length === 0) counts.unchanged += 1;
    else {
      counts.updated += 1;
      for (const field of fields) changed[field] += 1;
      after.set(k, next);
    }
  }
  if (mode === "sync") {
    for (const [k, product] of catalog) {
      if (latest.has(k) || rejectedKeys.has(k)) continue;
      if (options.syncAction === "delete") {
        after.delete(k);
        counts.removed += 1;
      } else if (product.active) {
        after.set(k, { ...product, active: false });
        counts.removed += 1;
      }
    }
  }
  return { counts, changed, after };
}

/** A seeded random file against the catalog: same, changed, re-spelled, emptied, new, repeated and rejected rows. */
function scenarioFile(catalog: Map<string, Product>, seed: number): Row[] {
  let state = seed;
  const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const rows: Row[] = [];
  const existing = [...catalog.values()];
  for (const product of existing) {
    const r = random();
    if (r < 0.2) continue; // not in the file
    const row: Row = { sku: product.sku, name: product.name, description: product.description, active: product.active ? "yes" : "no" };
    if (r < 0.35) row.name = `${product.name} v${seed}`;
    else if (r < 0.45) row.description = "";
    else if (r < 0.55) row.active = product.active ? "no" : "yes";
    else if (r < 0.6) row.sku = product.sku.toUpperCase();
    else if (r < 0.65) row.name = ""; // rejected: the product is named only by a rejected row
    rows.push(row);
  }
  for (let n = 0; n < 60; n += 1) rows.push({ sku: `new-${seed}-${n}`, name: `New ${n}`, description: `fresh ${n}`, active: n % 4 ? "yes" : "no" });
  // Repeats: the later row wins.
  for (let n = 0; n < 15; n += 1)
    rows.splice(Math.floor(random() * rows.length), 0, { sku: `new-${seed}-${n}`, name: "early", description: "", active: "yes" });
  rows.push({ sku: "", name: "no sku", description: "", active: "yes" });
  return rows;
}

function seedCatalog(size: number): Row[] {
  return Array.from({ length: size }, (_, n) => ({ sku: `p-${n}`, name: `Product ${n}`, description: `About ${n}`, active: n % 7 ? "yes" : "no" }));
}

const asMap = (rows: Row[]) => model(new Map(), rows, {}).after;
const sorted = (products: Iterable<Product>) => [...products].sort((a, b) => (key(a.sku) < key(b.sku) ? -1 : 1));

async function upload(rows: Row[] | string, options: Record<string, string> = {}) {
  const response = await app.uploadCsv(typeof rows === "string" ? rows : csv(rows), "catalog.csv", options);
  if (response.status !== 202) throw new Error(`upload answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body.import;
}

async function errorOf(call: Promise<unknown>) {
  try {
    await call;
  } catch (error) {
    return { code: (error as { data?: { code?: string } }).data?.code, message: (error as Error).message };
  }
  throw new Error("the call succeeded");
}

async function events(type: string) {
  const { rows } = await sql<{ data: any }>`SELECT data FROM events WHERE type = ${type} ORDER BY id`.execute(app.database.db);
  return rows.map((row) => row.data);
}

async function stagingTables(id: string) {
  const { rows } = await sql<{ name: string }>`
    SELECT relname AS name FROM pg_class JOIN pg_namespace n ON n.oid = relnamespace
    WHERE nspname = 'staging' AND (relname = ${`import_${id}`} OR relname LIKE ${`import_${id}\\_%`}) AND relkind = 'r' ORDER BY 1`.execute(
    app.database.db,
  );
  return rows.map((row) => row.name.replace(`import_${id}`, "rows"));
}

/** Each search index's name and identity (its OID: a dropped and rebuilt index has a new one), valid or not. */
async function searchIndexIdentities() {
  const names = SEARCH_INDEXES.map((index) => index.name);
  const { rows } = await sql<{ name: string; oid: string; valid: boolean }>`
    SELECT c.relname AS name, c.oid::text AS oid, i.indisvalid AS valid
    FROM pg_class AS c JOIN pg_index AS i ON i.indexrelid = c.oid
    WHERE c.relname = ANY(${names}::text[]) ORDER BY c.relname`.execute(app.database.db);
  return rows;
}

describe("every mode, against the model", () => {
  const cases: [string, Options][] = [
    ["upsert", {}],
    ["upsert, keeping stored descriptions for empty cells", { emptyDescription: "keep" }],
    ["create-only", { mode: "create-only" }],
    ["update-only", { mode: "update-only" }],
    ["sync, deactivating", { mode: "sync" }],
    ["sync, deleting", { mode: "sync", syncAction: "delete" }],
  ];
  it.each(cases)("%s: the review, the applied counts, the catalog after, and the undo", async (_label, options) => {
    const seed = seedCatalog(200);
    await importCsv(app, csv(seed));
    const before = await app.productsBySku();
    const { rows: ids } = await sql<{ sku: string; id: string }>`SELECT sku, id FROM products`.execute(app.database.db);
    const file = scenarioFile(asMap(seed), 7 + Object.keys(options).length);
    const expected = model(asMap(seed), file, options);

    const held = await upload(file, { review: "1", confirmLargeSync: "1", ...options });
    expect(held).toMatchObject({ status: "review", mode: options.mode ?? "upsert", totalRows: file.length });
    const review = await app.api.imports.review.query({ id: held.id });
    expect(review).toMatchObject({ ...expected.counts, changed: expected.changed, catalogChangedSince: false });
    const { created, updated, unchanged, skipped, rejected, repeated } = review;
    expect(created + updated + unchanged + skipped + rejected + repeated).toBe(file.length);
    // Nothing applied while in review.
    expect(await app.productsBySku()).toEqual(before);
    const changes = await app.api.imports.changes.query({ id: held.id, pageSize: 200 });
    expect(changes.total).toBe(expected.counts.created + expected.counts.updated + expected.counts.removed);
    for (const kind of ["create", "update", "remove"] as const) {
      const counted = { create: expected.counts.created, update: expected.counts.updated, remove: expected.counts.removed }[kind];
      expect((await app.api.imports.changes.query({ id: held.id, kind, pageSize: 1 })).total).toBe(counted);
    }

    await app.api.imports.apply.mutate({ id: held.id });
    const done = await app.waitForImport(held.id);
    expect(done).toMatchObject({
      status: "completed",
      createdCount: expected.counts.created,
      updatedCount: expected.counts.updated + expected.counts.unchanged,
      unchangedCount: expected.counts.unchanged,
      skippedCount: expected.counts.skipped,
      removedCount: expected.counts.removed,
      repeatedCount: expected.counts.repeated,
      errorCount: expected.counts.rejected,
      revertible: true,
    });
    expect(done.createdCount + done.updatedCount + done.skippedCount + done.repeatedCount + done.errorCount).toBe(file.length);
    expect(await app.productsBySku()).toEqual(sorted(expected.after.values()));
    // Staged rows are gone; what an undo needs stays.
    // Tidied just after the commit, outside the catalog lock.
    await expect.poll(() => stagingTables(held.id)).toEqual(["rows_before", "rows_repeated"]);

    const undone = await app.api.imports.revert.mutate({ id: held.id });
    expect(undone).toMatchObject({ removed: expected.counts.created, restored: expected.counts.updated + expected.counts.removed, kept: 0 });
    expect(undone.import).toMatchObject({ status: "reverted", revertible: false, revertSummary: { removed: expected.counts.created, kept: 0 } });
    expect(await app.productsBySku()).toEqual(before);
    // Products come back as themselves: the same ids.
    const { rows: idsAfter } = await sql<{ sku: string; id: string }>`SELECT sku, id FROM products`.execute(app.database.db);
    expect(new Map(idsAfter.map((row) => [row.sku, row.id]))).toEqual(new Map(ids.map((row) => [row.sku, row.id])));
    expect((await app.api.products.list.query({ pageSize: 1 })).total).toBe(before.length);
    expect(await stagingTables(held.id)).toEqual([]);
  });

  it("applies straight away (no review) with the same counts and the same catalog", async () => {
    const seed = seedCatalog(120);
    await importCsv(app, csv(seed));
    const file = scenarioFile(asMap(seed), 3);
    const expected = model(asMap(seed), file, { mode: "sync" });
    const queued = await upload(file, { mode: "sync", confirmLargeSync: "1" });
    expect(queued.status).toMatch(/queued|processing|completed/);
    const done = await app.waitForImport(queued.id);
    expect(done).toMatchObject({ status: "completed", createdCount: expected.counts.created, removedCount: expected.counts.removed });
    expect(await app.productsBySku()).toEqual(sorted(expected.after.values()));
  });
});

describe("the review", () => {
  it("lists changes field by field, before and after, paged, by kind", async () => {
    await importCsv(app, csv(seedCatalog(3)));
    const held = await upload(
      csv([
        { sku: "P-0", name: "Product 0", description: "About 0", active: "yes" },
        { sku: "p-1", name: "Renamed", description: "", active: "no" },
        { sku: "p-2", name: "Product 2", description: "About 2", active: "yes" },
        { sku: "n-1", name: "New one", description: "Fresh", active: "yes" },
      ]),
      { review: "1" },
    );
    const review = await app.api.imports.review.query({ id: held.id });
    expect(review).toMatchObject({
      created: 1,
      updated: 2,
      unchanged: 1,
      changed: { sku: 1, name: 1, description: 1, active: 2 },
      descriptionsEmptied: 1,
      activated: 1,
      deactivated: 1,
    });
    expect(review.warnings).toContain(`1 description would become empty (the file's cells are empty; choose "keep the stored one" to leave them).`);
    expect(review.warnings).toContain("1 active product would be made inactive.");

    const page1 = await app.api.imports.changes.query({ id: held.id, pageSize: 1 });
    expect(page1.total).toBe(3);
    expect(page1.items).toEqual([
      {
        sku: "P-0",
        kind: "update",
        before: expect.objectContaining({ sku: "p-0", active: false }),
        // The fields the file does not write stay as the product has them.
        after: {
          sku: "P-0",
          name: "Product 0",
          description: "About 0",
          active: true,
          price: null,
          compareAtPrice: null,
          stock: null,
          barcode: null,
          weightGrams: null,
          brand: null,
          category: null,
          tags: [],
          group: null,
          options: [],
          images: [],
          attributes: {},
        },
        changedFields: ["sku", "active"],
      },
    ]);
    const page2 = await app.api.imports.changes.query({ id: held.id, page: 2, pageSize: 1 });
    expect(page2.items[0]).toMatchObject({
      sku: "p-1",
      changedFields: ["name", "description", "active"],
      before: { name: "Product 1", description: "About 1" },
    });
    const created = await app.api.imports.changes.query({ id: held.id, kind: "create" });
    expect(created).toMatchObject({ total: 1, items: [{ sku: "n-1", kind: "create", before: null, after: { name: "New one" } }] });
  });

  it("says what a careful person would want to know: no active column, repeats, rejected rows, skipped SKUs", async () => {
    await importCsv(app, csv(seedCatalog(2)));
    const held = await upload("sku,name\np-0,Zero\nx-1,First\nx-1,Second\n,nameless\n", { review: "1", mode: "create-only" });
    const review = await app.api.imports.review.query({ id: held.id });
    expect(review).toMatchObject({ created: 1, skipped: 1, repeated: 1, rejected: 1 });
    expect(review.warnings).toEqual([
      "The file has no active column: flags stay as they are (new products are active).",
      "1 row was rejected and is left out (see the rejected rows).",
      "1 row repeats a SKU that comes again later in the file; the last row of each SKU is used.",
      "1 SKU is already in the catalog and left as they are (create only).",
    ]);
    const repeated = await app.api.imports.repeated.query({ id: held.id });
    expect(repeated).toMatchObject({ total: 1, items: [{ sku: "x-1", rows: 2, lines: [3, 4] }] });
  });

  it("recounts when the catalog changes before the apply, says so, and the apply uses the catalog as it is then", async () => {
    await importCsv(app, csv(seedCatalog(3)));
    const held = await upload(csv([{ sku: "p-0", name: "From the file", description: "", active: "yes" }]), { review: "1" });
    expect(await app.api.imports.review.query({ id: held.id })).toMatchObject({ updated: 1, created: 0, catalogChangedSince: false });
    const p0 = (await app.api.products.list.query({ sku: "p-0" })).items[0]!;
    await app.api.products.delete.mutate({ id: p0.id });
    expect(await app.api.imports.review.query({ id: held.id })).toMatchObject({ updated: 0, created: 1, catalogChangedSince: true });
    await app.api.imports.apply.mutate({ id: held.id });
    const done = await app.waitForImport(held.id);
    expect(done).toMatchObject({ status: "completed", createdCount: 1, updatedCount: 0 });
    expect((await app.api.imports.review.query({ id: held.id })).catalogChangedSince).toBe(false);
  });

  it("flags an apply whose catalog moved after the last review", async () => {
    await importCsv(app, csv(seedCatalog(3)));
    const held = await upload(csv([{ sku: "p-1", name: "From the file", description: "", active: "yes" }]), { review: "1" });
    await app.api.imports.review.query({ id: held.id });
    await importCsv(app, csv([{ sku: "p-9", name: "Meanwhile", description: "", active: "yes" }]));
    await app.api.imports.apply.mutate({ id: held.id });
    expect(await app.waitForImport(held.id)).toMatchObject({ status: "completed", catalogChangedAfterReview: true, updatedCount: 1 });
  });

  it("two reviews applied in either order give the result of applying them in that order", async () => {
    const first = csv([{ sku: "a", name: "From first", description: "one", active: "yes" }]);
    const second = csv([{ sku: "a", name: "From second", description: "two", active: "no" }]);
    for (const order of [
      [0, 1],
      [1, 0],
    ]) {
      await app.resetCatalog();
      const held = [await upload(first, { review: "1" }), await upload(second, { review: "1" })];
      for (const index of order) await app.api.imports.apply.mutate({ id: held[index]!.id });
      for (const index of order) await app.waitForImport(held[index]!.id);
      const last = order[1] === 0 ? "From first" : "From second";
      expect((await app.products())[0]).toMatchObject({ name: last });
    }
  });

  it("is discarded: cancelled, staged rows freed, nothing changed, and it cannot be retried or applied", async () => {
    await importCsv(app, csv(seedCatalog(2)));
    const before = await app.productsBySku();
    const held = await upload(csv([{ sku: "p-0", name: "Never", description: "", active: "no" }]), { review: "1" });
    expect(await stagingTables(held.id)).toEqual(["rows", "rows_diff", "rows_kept"]);
    const discarded = await app.api.imports.discard.mutate({ id: held.id });
    expect(discarded).toMatchObject({ status: "cancelled", retryable: false, error: "Discarded after its review; nothing was changed." });
    expect(await stagingTables(held.id)).toEqual([]);
    expect(await app.productsBySku()).toEqual(before);
    expect(await errorOf(app.api.imports.apply.mutate({ id: held.id }))).toMatchObject({ code: "CONFLICT" });
    expect(await errorOf(app.api.imports.retry.mutate({ id: held.id }))).toMatchObject({ code: "CONFLICT" });
    expect(await errorOf(app.api.imports.discard.mutate({ id: held.id }))).toMatchObject({ code: "CONFLICT" });
  });

  it("expires with the staged-rows retention, and an old import's before-images go with it", async () => {
    const old = await importCsv(app, csv(seedCatalog(2)));
    const held = await upload(csv([{ sku: "p-0", name: "Late", description: "", active: "yes" }]), { review: "1" });
    await sql`UPDATE imports SET uploaded_at = now() - interval '8 days', finished_at = now() - interval '8 days' WHERE id IN (${held.id}, ${old.id})`.execute(
      app.database.db,
    );
    await dropExpiredStaging(app.database.db, createLogger("silent"), 7 * 24);
    expect(await app.api.imports.get.query({ id: held.id })).toMatchObject({
      status: "cancelled",
      error: "Its review was left open for 7 days, so it expired; nothing was changed. Upload the file again to import it.",
    });
    expect(await stagingTables(held.id)).toEqual([]);
    expect(await app.api.imports.get.query({ id: old.id })).toMatchObject({ status: "completed", revertible: false });
    expect(await errorOf(app.api.imports.revert.mutate({ id: old.id }))).toMatchObject({
      code: "CONFLICT",
      message: expect.stringMatching(/no longer be undone/),
    });
  });
});

describe("sync", () => {
  it("keeps the products a rejected row names (its SKU counts as present)", async () => {
    await importCsv(app, csv(seedCatalog(4)));
    const held = await upload("sku,name,description,active\np-0,Zero,,yes\np-1,,,yes\np-2,Two,,maybe\n", {
      review: "1",
      mode: "sync",
      confirmLargeSync: "1",
    });
    // p-1 and p-2 are named only by rejected rows, so they stay; p-3 is named nowhere.
    expect(await app.api.imports.review.query({ id: held.id })).toMatchObject({ removed: 1, rejected: 2 });
    await app.api.imports.apply.mutate({ id: held.id });
    await app.waitForImport(held.id);
    const active = Object.fromEntries((await app.products()).map((p) => [p.sku, p.active]));
    expect(active).toEqual({ "p-0": true, "p-1": true, "p-2": true, "p-3": false });
  });

  it("that would take away more than a fifth of the catalog needs a confirmation, in review and straight away", async () => {
    await importCsv(app, csv(seedCatalog(10).map((row) => ({ ...row, active: "yes" }))));
    const file = csv(seedCatalog(7).map((row) => ({ ...row, active: "yes" })));
    const held = await upload(file, { review: "1", mode: "sync" });
    const review = await app.api.imports.review.query({ id: held.id });
    expect(review).toMatchObject({ removed: 3, needsSyncConfirmation: true });
    expect(review.warnings[0]).toBe(
      "This sync would deactivate 3 of the catalog's 10 products (30%), more than a fifth of it: applying it needs a confirmation.",
    );
    const refused = await errorOf(app.api.imports.apply.mutate({ id: held.id }));
    expect(refused).toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/confirmLargeSync/) });
    expect((await app.api.imports.get.query({ id: held.id })).status).toBe("review");
    await app.api.imports.apply.mutate({ id: held.id, confirmLargeSync: true });
    expect(await app.waitForImport(held.id)).toMatchObject({ status: "completed", removedCount: 3 });

    await app.api.imports.revert.mutate({ id: held.id });
    const straight = await upload(file, { mode: "sync" });
    const failed = await app.waitForImport(straight.id);
    expect(failed).toMatchObject({ status: "failed", retryable: false });
    expect(failed.error).toMatch(/^This sync would deactivate 3 of the catalog's 10 products \(30%\), more than a fifth of it; nothing was changed/);
    expect((await app.products()).every((p) => p.active)).toBe(true);
    const withConfirmation = await upload(file, { mode: "sync", confirmLargeSync: "1" });
    expect(await app.waitForImport(withConfirmation.id)).toMatchObject({ status: "completed", removedCount: 3 });
  });
});

describe("undo", () => {
  it("leaves products changed after the import as they are when partial, and refuses otherwise", async () => {
    await importCsv(app, csv(seedCatalog(3)));
    const done = await importCsv(
      app,
      csv([
        { sku: "p-0", name: "Imported 0", description: "", active: "yes" },
        { sku: "p-1", name: "Imported 1", description: "", active: "yes" },
        { sku: "n-0", name: "New 0", description: "", active: "yes" },
        { sku: "n-1", name: "New 1", description: "", active: "yes" },
      ]),
    );
    const [p0, n0] = (await app.api.products.list.query({ pageSize: 100 })).items.filter((p) => ["p-0", "n-0"].includes(p.sku));
    await app.api.products.update.mutate({ id: p0!.id, name: "Edited by hand" });
    await app.api.products.update.mutate({ id: n0!.id, description: "Edited too" });
    expect((await app.api.products.list.query({ sku: "p-0" })).items[0]!.lastChange).toMatchObject({ kind: "edit", importId: null });
    expect((await app.api.products.list.query({ sku: "p-1" })).items[0]!.lastChange).toMatchObject({ kind: "import", importId: done.id });

    const before = await app.productsBySku();
    const refused = await errorOf(app.api.imports.revert.mutate({ id: done.id }));
    expect(refused).toMatchObject({
      code: "CONFLICT",
      message: expect.stringMatching(/^2 of the products import \d+ wrote changed after it \(n-0, p-0\); nothing was undone/),
    });
    expect(await app.productsBySku()).toEqual(before);

    const partial = await app.api.imports.revert.mutate({ id: done.id, partial: true });
    expect(partial).toMatchObject({ restored: 1, removed: 1, kept: 2, keptExamples: ["n-0", "p-0"] });
    const after = Object.fromEntries((await app.products()).map((p) => [p.sku, p.name]));
    expect(after).toEqual({ "p-0": "Edited by hand", "p-1": "Product 1", "p-2": "Product 2", "n-0": "New 0" });
    expect((await app.api.products.list.query({ sku: "p-1" })).items[0]!.lastChange).toMatchObject({ kind: "revert", importId: done.id });
    const reverted = (await events("import.reverted")).filter((event) => event.id === done.id);
    expect(reverted).toEqual([expect.objectContaining({ id: done.id, status: "reverted", restored: 1, removed: 1, kept: 2 })]);
  });

  it("of earlier imports after later ones: undoing the later one first gives the earlier one its products back", async () => {
    const first = await importCsv(app, csv([{ sku: "a", name: "First", description: "", active: "yes" }]));
    const second = await importCsv(app, csv([{ sku: "a", name: "Second", description: "", active: "no" }]));
    expect(await errorOf(app.api.imports.revert.mutate({ id: first.id }))).toMatchObject({ code: "CONFLICT" });
    await app.api.imports.revert.mutate({ id: second.id });
    expect(await app.products()).toEqual([{ sku: "a", name: "First", description: "", active: true }]);
    expect(await app.api.imports.revert.mutate({ id: first.id })).toMatchObject({ removed: 1, kept: 0 });
    expect(await app.products()).toEqual([]);
  });

  it("is refused for an import not completed, one undone already, and one whose before-images were lost", async () => {
    const held = await upload(csv(seedCatalog(1)), { review: "1" });
    expect(await errorOf(app.api.imports.revert.mutate({ id: held.id }))).toMatchObject({
      code: "CONFLICT",
      message: `Import ${held.id} is review; only a completed import can be undone.`,
    });
    await app.api.imports.apply.mutate({ id: held.id });
    expect(await errorOf(app.api.imports.apply.mutate({ id: held.id }))).toMatchObject({
      code: "CONFLICT",
      message: expect.stringMatching(/applied already/),
    });
    await app.waitForImport(held.id);
    expect(await errorOf(app.api.imports.discard.mutate({ id: held.id }))).toMatchObject({ code: "CONFLICT" });
    await app.api.imports.revert.mutate({ id: held.id });
    expect(await errorOf(app.api.imports.revert.mutate({ id: held.id }))).toMatchObject({
      code: "CONFLICT",
      message: `Import ${held.id} was undone already.`,
    });

    await importCsv(app, csv(seedCatalog(2)));
    const changed = await importCsv(app, csv(seedCatalog(2).map((row) => ({ ...row, name: "Changed" }))));
    // A crash empties unlogged tables: the before-images are then incomplete.
    await sql`TRUNCATE ${sql.id("staging", `import_${changed.id}_before`)}`.execute(app.database.db);
    const lost = await errorOf(app.api.imports.revert.mutate({ id: changed.id }));
    expect(lost).toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/can no longer be undone: what it overwrote was lost/) });
    expect((await app.api.imports.get.query({ id: changed.id })).revertible).toBe(false);
    expect((await app.products()).every((p) => p.name === "Changed")).toBe(true);

    expect(await errorOf(app.api.imports.revert.mutate({ id: "999999" }))).toMatchObject({ code: "NOT_FOUND" });
  });

  // Large enough (the whole catalog, at least BULK_ROWS) that an undo that runs drops the search indexes.
  const LARGE = 20_000;

  it("refused for products changed since, drops no search index even when it is large enough to rebuild them", async () => {
    expect(isBulkWrite(LARGE, LARGE)).toBe(true);
    const done = await importCsv(app, csv(seedCatalog(LARGE)));
    await app.searchIndexesSettled();
    const [edited] = (await app.api.products.list.query({ sku: "p-1234" })).items.filter((p) => p.sku === "p-1234");
    await app.api.products.update.mutate({ id: edited!.id, name: "Edited by hand" });
    const indexesBefore = await searchIndexIdentities();
    const catalogBefore = await app.productsBySku();

    const refused = await errorOf(app.api.imports.revert.mutate({ id: done.id }));
    expect(refused).toMatchObject({
      code: "CONFLICT",
      message: expect.stringMatching(/^1 of the products import \d+ wrote changed after it \(p-1234\)/),
    });
    expect(await searchIndexIdentities(), "the same indexes, never dropped and built again").toEqual(indexesBefore);
    expect(await app.productsBySku()).toEqual(catalogBefore);
    expect((await app.api.products.list.query({ name: "edited by" })).items.map((p) => p.sku)).toEqual(["p-1234"]);

    // An undo that runs still drops them (each comes back as a new index) and rebuilds them.
    expect(await app.api.imports.revert.mutate({ id: done.id, partial: true })).toMatchObject({ removed: LARGE - 1, kept: 1 });
    await expect.poll(() => unusableSearchIndexes(app.database.db), { timeout: 30_000 }).toEqual([]);
    const rebuilt = await searchIndexIdentities();
    expect(rebuilt.map((index) => index.name)).toEqual(indexesBefore.map((index) => index.name));
    for (const [n, index] of rebuilt.entries()) expect(index.oid, index.name).not.toBe(indexesBefore[n]!.oid);
    expect(await app.products()).toEqual([{ sku: "p-1234", name: "Edited by hand", description: "About 1234", active: true }]);
  });

  it("drops no search index while it waits for an import being applied, and runs once that is done", async () => {
    const done = await importCsv(app, csv(seedCatalog(LARGE)));
    await app.searchIndexesSettled();
    const indexesBefore = await searchIndexIdentities();
    const importApplying = await holdCatalogLock(app.database.connectionString);
    let undo: Promise<unknown>;
    try {
      undo = app.api.imports.revert.mutate({ id: done.id });
      undo.catch(() => {});
      // Until the undo holds the catalog, it cannot know it will run: nothing may be dropped yet.
      // Watched for two seconds, a look every 100 ms: the time the undo waits is what is under test.
      const watchUntil = Date.now() + 2_000;
      while (Date.now() < watchUntil) {
        expect(await searchIndexIdentities(), "the search indexes while the undo waits").toEqual(indexesBefore);
        await sleep(100);
      }
    } finally {
      await importApplying.release();
    }
    expect(await undo).toMatchObject({ removed: LARGE, kept: 0 });
    expect(await app.products()).toEqual([]);
    await expect.poll(() => unusableSearchIndexes(app.database.db), { timeout: 30_000 }).toEqual([]);
  });
});

describe("bad input", () => {
  it("refuses unknown options with 400 naming them, before anything is stored", async () => {
    const imports = (await app.api.imports.list.query()).total;
    for (const [name, value] of [
      ["mode", "merge"],
      ["syncAction", "archive"],
      ["emptyDescription", "ignore"],
      ["review", "perhaps"],
    ]) {
      const response = await app.uploadCsv("sku,name\na,A\n", "x.csv", { [name!]: value! });
      expect(response.status).toBe(400);
      expect(response.body.error).toContain(name);
    }
    expect((await app.api.imports.list.query()).total).toBe(imports);
  });

  it("answers review, changes and apply for imports that were never held with a clear CONFLICT", async () => {
    const done = await importCsv(app, "sku,name\na,A\n");
    expect(await errorOf(app.api.imports.review.query({ id: done.id }))).toMatchObject({
      code: "CONFLICT",
      message: expect.stringMatching(/applied without a review/),
    });
    expect(await errorOf(app.api.imports.changes.query({ id: done.id }))).toMatchObject({ code: "CONFLICT" });
    expect(await errorOf(app.api.imports.apply.mutate({ id: done.id }))).toMatchObject({ code: "CONFLICT" });
    expect(await errorOf(app.api.imports.cancel.mutate({ id: (await upload("sku,name\nb,B\n", { review: "1" })).id }))).toMatchObject({
      code: "CONFLICT",
      message: expect.stringMatching(/discard it instead/),
    });
  });
});
