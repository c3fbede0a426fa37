import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTransaction } from "../../db/transaction.js";
import { returnsOldRows } from "../../db/server-version.js";
import { findImport } from "../../server/imports/imports.table.js";
import { mergePlanFor } from "../../server/imports/apply/merge-import.js";
import { beforeImagesTable, createBeforeImagesTable, resetMergeCounter } from "../../server/imports/staging/staging-table.js";
import { mergeIntoCatalog, type BeforeCapture } from "../../server/products/catalog-merge.js";
import type { ImportMode } from "../../db/schema.js";
import { importCsv, startTestApp, type TestApp } from "../support/test-app.js";

/**
 * Postgres 18 hands a write's old rows back (RETURNING old.*); on 14–17 the merge copies them
 * first. Both ways must keep the same before-images and leave the same catalog: this runs the
 * merge each way on the same staged file, inside transactions that are rolled back.
 */

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.stop());

const seed = Array.from({ length: 50 }, (_, n) => `p-${n},Product ${n},About ${n},${n % 5 ? "yes" : "no"}`);
const file = [
  ...Array.from({ length: 30 }, (_, n) => `P-${n},${n % 3 ? `Product ${n}` : `Renamed ${n}`},${n % 4 ? `About ${n}` : ""},${n % 2 ? "yes" : "no"}`),
  "n-1,New,,yes",
  "p-45,,,yes",
];

async function mergedEachWay(mode: ImportMode, syncAction: "deactivate" | "delete") {
  const upload = await app.uploadCsv(`sku,name,description,active\n${file.join("\n")}\n`, "each-way.csv", { review: "1", mode, syncAction });
  const row = (await findImport(app.database.db, upload.body.id))!;
  await resetMergeCounter(app.database.db, row.id);
  const outcome = async (capture: BeforeCapture) =>
    withTransaction(app.database.pool, async (tx) => {
      tx.rollbackAtEnd();
      await createBeforeImagesTable(tx.db, row.id);
      const counts = await mergeIntoCatalog(tx.db, mergePlanFor(row, capture), false);
      const images = await sql`SELECT * FROM ${beforeImagesTable(row.id)} ORDER BY product_id`.execute(tx.db);
      // (New products' ids differ: identity values are not given back by a rollback.)
      const catalog = await sql`SELECT sku, name, description, active, values_import_id FROM products ORDER BY sku_key(sku)`.execute(tx.db);
      return { counts, images: images.rows, catalog: catalog.rows };
    });
  return { returned: await outcome("returning-old"), copied: await outcome("copy-first") };
}

describe("before-images", () => {
  it("runs on Postgres 18 here, which returns old rows", async () => {
    expect(await returnsOldRows(app.database.db)).toBe(true);
  });

  it.each([
    ["upsert", "deactivate"],
    ["update-only", "deactivate"],
    ["sync", "deactivate"],
    ["sync", "delete"],
  ] as const)("are the same either way, and so is the catalog (%s, %s)", async (mode, syncAction) => {
    await app.resetCatalog();
    await importCsv(app, `sku,name,description,active\n${seed.join("\n")}\n`);
    const { returned, copied } = await mergedEachWay(mode, syncAction);
    expect(copied).toEqual(returned);
    expect(returned.images.length).toBe(returned.counts.changed + returned.counts.removed);
    expect(returned.images.length).toBeGreaterThan(mode === "sync" ? 20 : 10);
  });
});
