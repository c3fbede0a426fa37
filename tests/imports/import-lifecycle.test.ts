import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { importCsv, startTestApp, type TestApp } from "../support/test-app.js";
import { blockCatalogWrites, holdCatalogLock } from "../support/catalog-lock.js";
import { readEventStream } from "../support/sse.js";
import { applyJobsSettled } from "../support/job-queue.js";
import { waitUntil } from "../support/wait.js";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.stop());
beforeEach(() => app.resetCatalog());

const rows = (prefix: string, count: number, name = "Item") =>
  Array.from({ length: count }, (_, index) => `${prefix}-${index},${name} ${index}`).join("\n");

async function upload(csv: string) {
  const response = await app.uploadCsv(csv);
  expect(response.status).toBe(202);
  return response.body.id as string;
}

describe("live progress", () => {
  it("streams the import's state at once, then every change, and ends after the outcome", async () => {
    const lock = await holdCatalogLock(app.database.connectionString);
    const id = await upload(`sku,name\n${rows("sse", 200_000)}\n`);
    let received = 0;
    const stream = readEventStream(`${app.url}/api/imports/${id}/events`, { onEvent: () => (received += 1) });
    // The stream has said where the import stands before anything moves.
    await waitUntil("the stream's first event", () => received > 0, 10_000);
    await lock.release();
    const { status, contentType, events, ended } = await stream;
    expect(status).toBe(200);
    expect(contentType).toMatch(/^text\/event-stream/);
    expect(ended).toBe(true);
    const statuses = events.map((event) => event.data.status);
    expect(statuses[0]).toBe("queued");
    expect(statuses).toContain("processing");
    expect(statuses.at(-1)).toBe("completed");
    expect(events.every((event) => event.event === "progress")).toBe(true);
    const processed = events.filter((event) => event.data.status === "processing").map((event) => event.data.processedRows);
    expect(processed.some((count) => count > 0 && count < 200_000)).toBe(true);
    expect(events.at(-1)!.data).toMatchObject({ createdCount: 200_000, processedRows: 200_000, totalRows: 200_000 });
    const ids = events.map((event) => Number(event.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it("sends a browser that reconnects with Last-Event-ID nothing it already has", async () => {
    const done = await importCsv(app, "sku,name\nlast-1,Last\n");
    const first = await readEventStream(`${app.url}/api/imports/${done.id}/events`);
    expect(first.events).toHaveLength(1);
    const again = await readEventStream(`${app.url}/api/imports/${done.id}/events`, {
      headers: { "Last-Event-ID": first.events[0]!.id },
    });
    expect(again).toMatchObject({ status: 200, ended: true, events: [] });
  });

  it("answers 404 for an import that does not exist", async () => {
    const response = await fetch(`${app.url}/api/imports/999999/events`);
    expect(response.status).toBe(404);
  });
});

describe("cancel", () => {
  it("stops a queued import; it never applies", async () => {
    const lock = await holdCatalogLock(app.database.connectionString);
    const id = await upload("sku,name\nq-1,Queued\n");
    const cancelled = await app.api.imports.cancel.mutate({ id });
    expect(cancelled.status).toBe("cancelled");
    await lock.release();
    await applyJobsSettled(app.database.pool, "the worker to have taken the queue again");
    expect(await app.api.imports.get.query({ id })).toMatchObject({ status: "cancelled" });
    expect(await app.products()).toEqual([]);
  });

  it("rolls back an import that is already merging: the catalog is exactly as before", async () => {
    await importCsv(app, "sku,name\nkeep-1,Original\n");
    const block = await blockCatalogWrites(app.database.connectionString);
    const id = await upload(`sku,name\nkeep-1,Changed\n${rows("run", 15_000)}\n`);
    await app.waitForImport(id, (item) => item.status === "processing");
    expect((await app.api.imports.cancel.mutate({ id })).status).toBe("cancelled");
    await block.release();
    await applyJobsSettled(app.database.pool, "the worker to have finished with the cancelled merge");
    expect(await app.api.imports.get.query({ id })).toMatchObject({ status: "cancelled" });
    expect(await app.products()).toEqual([{ sku: "keep-1", name: "Original", description: "", active: true }]);
  });

  it("refuses to cancel a finished import, with a message", async () => {
    const done = await importCsv(app, "sku,name\nfin-1,Done\n");
    const response = await app.trpcRaw("imports.cancel", { id: done.id }, "POST");
    expect(response.body.error.data.code).toBe("CONFLICT");
    expect(response.body.error.message).toMatch(/already completed/);
  });
});

describe("a merge that fails", () => {
  it("changes nothing, says why, and can be retried from its staged rows", async () => {
    await importCsv(app, "sku,name\nkeep-2,Original\n");
    await sql`
      CREATE FUNCTION refuse_boom() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.sku = 'boom' THEN RAISE EXCEPTION 'the warehouse refuses boom'; END IF;
        RETURN NEW;
      END $$`.execute(app.database.db);
    await sql`CREATE TRIGGER refuse_boom BEFORE INSERT ON products FOR EACH ROW EXECUTE FUNCTION refuse_boom()`.execute(app.database.db);
    try {
      // The refused row comes last, after 60,000 others were written in the same transaction.
      const failed = await importCsv(app, `sku,name\nkeep-2,Changed\n${rows("many", 60_000)}\nboom,Boom\n`);
      expect(failed).toMatchObject({ status: "failed", retryable: true, error: expect.stringMatching(/refuses boom/) });
      expect(await app.products()).toEqual([{ sku: "keep-2", name: "Original", description: "", active: true }]);
      expect((await app.api.products.list.query({})).total).toBe(1);

      await app.searchIndexesSettled();
      await sql`DROP TRIGGER refuse_boom ON products`.execute(app.database.db);
      const retried = await app.api.imports.retry.mutate({ id: failed.id });
      expect(retried.status).toBe("queued");
      const done = await app.waitForImport(failed.id);
      expect(done).toMatchObject({ status: "completed", createdCount: 60_001, updatedCount: 1, error: null });
      expect((await app.api.products.list.query({})).total).toBe(60_002);
    } finally {
      await app.searchIndexesSettled();
      await sql`DROP TRIGGER IF EXISTS refuse_boom ON products`.execute(app.database.db);
      await sql`DROP FUNCTION refuse_boom()`.execute(app.database.db);
    }
  });

  it("cannot be retried once it succeeded", async () => {
    const done = await importCsv(app, "sku,name\nonce-1,Once\n");
    const response = await app.trpcRaw("imports.retry", { id: done.id }, "POST");
    expect(response.body.error.data.code).toBe("CONFLICT");
  });
});

describe("several imports", () => {
  it("apply one at a time in the order their uploads finished", async () => {
    const lock = await holdCatalogLock(app.database.connectionString);
    const first = await upload(`sku,name\nshared-1,From first\n${rows("first", 30_000)}\n`);
    const second = await upload("sku,name\nshared-1,From second\n");
    await lock.release();
    const [a, b] = [await app.waitForImport(first), await app.waitForImport(second)];
    expect(a.status).toBe("completed");
    expect(b.status).toBe("completed");
    expect(new Date(a.finishedAt!).getTime()).toBeLessThanOrEqual(new Date(b.startedAt!).getTime());
    expect((await app.api.products.list.query({ sku: "shared-1" })).items[0]!.name).toBe("From second");
  });

  it("uploaded at the same time both complete without interleaving", async () => {
    const [one, two] = await Promise.all([
      app.uploadCsv(`sku,name\n${rows("both", 20_000, "One")}\n`),
      app.uploadCsv(`sku,name\n${rows("both", 20_000, "Two")}\n`),
    ]);
    const [a, b] = [await app.waitForImport(one.body.id), await app.waitForImport(two.body.id)];
    const [earlier, later] = new Date(a.startedAt!) < new Date(b.startedAt!) ? [a, b] : [b, a];
    expect(new Date(earlier.finishedAt!).getTime()).toBeLessThanOrEqual(new Date(later.startedAt!).getTime());
    expect(earlier.createdCount + later.createdCount).toBe(20_000);
    expect(later.updatedCount).toBe(20_000);
    const laterName = later.id === one.body.id ? "One" : "Two";
    const { items } = await app.api.products.list.query({ sku: "both-", pageSize: 200 });
    expect(items.every((item: { name: string }) => item.name.startsWith(laterName))).toBe(true);
  });
});

describe("an import whose worker died", () => {
  it("is picked up again and finishes, instead of staying processing forever", async () => {
    const lock = await holdCatalogLock(app.database.connectionString);
    const id = await upload("sku,name\norphan-1,Orphan\n");
    // What a process killed mid-merge leaves behind: `processing`, its merge rolled back.
    await sql`UPDATE imports SET status = 'processing', heartbeat_at = now() - interval '5 minutes' WHERE id = ${id}`.execute(app.database.db);
    await sql`DELETE FROM pgboss.job WHERE name = 'imports.apply'`.execute(app.database.db);
    await lock.release();
    const done = await app.waitForImport(id, undefined, 30_000);
    expect(done).toMatchObject({ status: "completed", createdCount: 1 });
  });
});

describe("an upload whose process died", () => {
  it("is failed with the reason by a worker's sweeper, while a live upload is left alone", async () => {
    const insertUploading = async (filename: string, silentFor: string) => {
      const { rows } = await sql<{ id: string }>`
        INSERT INTO imports (filename, status, header, has_active_column, heartbeat_at, created_at)
        VALUES (${filename}, 'uploading', ARRAY['sku','name'], false, now() - ${silentFor}::interval, now() - ${silentFor}::interval)
        RETURNING id`.execute(app.database.db);
      return rows[0]!.id;
    };
    // What a process killed half-way through receiving a file leaves: `uploading`, nobody reporting.
    const dead = await insertUploading("dead.csv", "5 minutes");
    const live = await insertUploading("live.csv", "1 second");
    const failed = await app.waitForImport(dead, (item) => item.status !== "uploading", 30_000);
    expect(failed.status).toBe("failed");
    expect(failed.error).toContain("stopped before the whole file arrived");
    expect((await app.api.imports.get.query({ id: live })).status).toBe("uploading");
    const { rows } = await sql<{ count: string }>`
      SELECT count(*) FROM events WHERE type = 'import.failed' AND data->>'id' = ${dead}`.execute(app.database.db);
    expect(Number(rows[0]!.count), "one import.failed event tells subscribers").toBe(1);
    await sql`UPDATE imports SET status = 'cancelled' WHERE id = ${live}`.execute(app.database.db);
  });
});

describe("staged rows of a failed or cancelled import", () => {
  it("are kept for a retry, then removed after the retention period, and the import says why it cannot be retried", async () => {
    const lock = await holdCatalogLock(app.database.connectionString);
    const kept = await upload("sku,name\nkept-1,Kept\n");
    const old = await upload("sku,name\nold-1,Old\n");
    for (const id of [kept, old]) await app.api.imports.cancel.mutate({ id });
    await lock.release();
    await sql`UPDATE imports SET finished_at = now() - interval '8 days' WHERE id = ${old}`.execute(app.database.db);
    const staged = async (id: string) =>
      (await sql<{ exists: boolean }>`SELECT to_regclass(${`staging.import_${id}`}) IS NOT NULL AS exists`.execute(app.database.db)).rows[0]!.exists;
    expect(await staged(old)).toBe(true);

    const expired = await app.waitForImport(old, (item) => item.error !== null, 30_000);
    expect(expired.error).toContain("staged rows were removed after 7 days");
    expect(await staged(old)).toBe(false);
    const retry = await app.trpcRaw("imports.retry", { id: old }, "POST");
    expect(retry.body.error.data.code).toBe("CONFLICT");
    expect(retry.body.error.message).toContain("upload the file again");

    expect(await staged(kept), "a recent one keeps its rows").toBe(true);
    await app.api.imports.retry.mutate({ id: kept });
    expect(await app.waitForImport(kept)).toMatchObject({ status: "completed", createdCount: 1 });
  });
});

describe("staged rows lost in a Postgres crash", () => {
  it("fail the import with the reason and leave the catalog as it was, instead of applying an empty file", async () => {
    await importCsv(app, "sku,name\nstays-1,Unchanged\n");
    const lock = await holdCatalogLock(app.database.connectionString);
    const id = await upload("sku,name\nstays-1,Renamed\nnew-1,New\n");
    // Crash recovery resets unlogged tables to empty; a clean restart keeps them.
    await sql`TRUNCATE ${sql.id("staging", `import_${id}`)}`.execute(app.database.db);
    await lock.release();
    const failed = await app.waitForImport(id);
    expect(failed).toMatchObject({ status: "failed", createdCount: 0, updatedCount: 0 });
    expect(failed.error).toContain("staged rows are gone");
    expect(await app.products()).toEqual([{ sku: "stays-1", name: "Unchanged", description: "", active: true }]);
  });
});
