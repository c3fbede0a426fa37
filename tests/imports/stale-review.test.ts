import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { importCsv, refusalOf, startTestApp, type TestApp } from "../support/test-app.js";
import { applyJobsSettled } from "../support/job-queue.js";

/**
 * imports.apply with `reviewedCatalogVersion`: an apply of counts computed against a catalog that
 * changed since is refused with CONFLICT and nothing queued; without it, apply is as it always was.
 */

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.stop());
beforeEach(() => app.resetCatalog());

const SEED = "sku,name,description,active\np-1,Product 1,First,yes\np-2,Product 2,Second,yes\n";
const CHANGES = "sku,name,description,active\np-1,Renamed,First,yes\nn-1,New one,Fresh,yes\n";

async function held(csv: string) {
  const response = await app.uploadCsv(csv, "changes.csv", { review: "1" });
  if (response.status !== 202) throw new Error(`upload answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body.import as { id: string };
}

async function renameP2(name: string) {
  const p2 = (await app.api.products.list.query({ sku: "p-2" })).items[0]!;
  await app.api.products.update.mutate({ id: p2.id, name });
}

it("applies when the catalog is still the one the review counted against", async () => {
  await importCsv(app, SEED);
  const { id } = await held(CHANGES);
  const review = await app.api.imports.review.query({ id });
  expect(review.catalogVersion).toMatch(/^\d+$/);
  const queued = await app.api.imports.apply.mutate({ id, reviewedCatalogVersion: review.catalogVersion });
  expect(queued.status).toBe("queued");
  expect(await app.waitForImport(id)).toMatchObject({ status: "completed", createdCount: 1, catalogChangedAfterReview: false });
});

it("refuses with CONFLICT, queues nothing and changes nothing when the catalog changed since the review", async () => {
  await importCsv(app, SEED);
  const { id } = await held(CHANGES);
  const seen = await app.api.imports.review.query({ id });
  await renameP2("Edited meanwhile");
  const before = await app.productsBySku();

  const refusal = await refusalOf(app, "imports.apply", { id, reviewedCatalogVersion: seen.catalogVersion });
  expect(refusal.code).toBe("CONFLICT");
  expect(refusal.message).toMatch(/catalog changed since the review of import \d+ you looked at .*not queued/);
  // Still waiting for a decision, not in the queue, and the catalog as it was: had it been queued,
  // a worker would have applied it by the time the queue is settled.
  await applyJobsSettled(app.database.pool);
  expect(await app.api.imports.get.query({ id })).toMatchObject({ status: "review", startedAt: null });
  expect(await app.productsBySku()).toEqual(before);

  // The review, looked at again, carries the new version; applying with it goes through.
  const again = await app.api.imports.review.query({ id });
  expect(again.catalogVersion).not.toBe(seen.catalogVersion);
  await app.api.imports.apply.mutate({ id, reviewedCatalogVersion: again.catalogVersion });
  expect(await app.waitForImport(id)).toMatchObject({ status: "completed", createdCount: 1 });
});

it("applies anyway when the caller sends no version, exactly as before", async () => {
  await importCsv(app, SEED);
  const { id } = await held(CHANGES);
  await app.api.imports.review.query({ id });
  await renameP2("Edited meanwhile");
  await app.api.imports.apply.mutate({ id });
  expect(await app.waitForImport(id)).toMatchObject({ status: "completed", catalogChangedAfterReview: true });
});

it("says the import is not in review, not that the catalog moved, for an import already applied", async () => {
  const done = await importCsv(app, SEED);
  const refusal = await refusalOf(app, "imports.apply", { id: done.id, reviewedCatalogVersion: "1" });
  expect(refusal).toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/only an import in review can be applied/) });
  expect((await refusalOf(app, "imports.apply", { id: "999999", reviewedCatalogVersion: "1" })).code).toBe("NOT_FOUND");
});

it("refuses a version that is not one with 400 naming the field", async () => {
  const { id } = await held(CHANGES);
  for (const version of ["abc", "", "1.5", "9".repeat(21)]) {
    const refusal = await refusalOf(app, "imports.apply", { id, reviewedCatalogVersion: version });
    expect(refusal, version).toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("reviewedCatalogVersion") });
  }
  expect((await refusalOf(app, "imports.apply", { id, reviewedCatalogVersion: 5 })).code).toBe("BAD_REQUEST");
  expect((await app.api.imports.get.query({ id })).status).toBe("review");
});
