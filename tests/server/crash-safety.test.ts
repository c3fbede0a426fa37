import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { ensureDatabase } from "../../db/embedded.js";
import { apiClient, type ApiClient } from "../support/api-client.js";
import { startAppProcess, type AppProcess } from "../support/app-process.js";
import {
  catalogChecksum,
  ExpectedCatalog,
  largeFileRows,
  scratchDir,
  seedRows,
  writeCsvFile,
  type CatalogChecksum,
} from "../support/catalog-plan.js";
import {
  appSessions,
  deliveriesAbout,
  importEvents,
  importState,
  tail,
  testConnection,
  waitForMergeRunning,
  whileAlive,
} from "../support/crash-helpers.js";
import { deliveriesSettled } from "../support/job-queue.js";
import { sleep, waitUntil } from "../support/wait.js";
import { startReceiver, type Receiver } from "../support/receiver.js";
import { startRestartablePostgres, type RestartablePostgres } from "../support/restartable-postgres.js";
import { createTestDatabase } from "../support/test-database.js";

/**
 * Crash safety with real processes on a real Postgres: the server is SIGKILLed mid-merge, or its
 * Postgres is restarted mid-merge, and the import must still end exactly as the file says, once.
 *
 * Each test: a seeded catalog of 100,000 products, then a 500,000-row file (450,000 distinct
 * SKUs: all 100,000 seeded ones in other cases plus 350,000 new, 50,000 repeats that must win,
 * a few rejected rows). The expected catalog is computed in JS from the contract's rules.
 */

const SEED_ROWS = 100_000;
const LARGE_ROWS = 500_000;
const LARGE_DISTINCT = 450_000;
/** The contract: a crashed import is finished by the next process on its own, within a minute. */
const RECOVERY_MS = 60_000;

const files = scratchDir("crash-safety-");
const seedFile = files.file("seed.csv");
const largeFile = files.file("large.csv");
const expected = new ExpectedCatalog();
let seedCounts: ReturnType<ExpectedCatalog["apply"]>;
let seedChecksum: CatalogChecksum;
let largeCounts: ReturnType<ExpectedCatalog["apply"]>;
let finalChecksum: CatalogChecksum;

beforeAll(async () => {
  await writeCsvFile(seedFile, true, seedRows(SEED_ROWS));
  await writeCsvFile(largeFile, true, largeFileRows(LARGE_ROWS, LARGE_DISTINCT));
  seedCounts = expected.apply(seedRows(SEED_ROWS), true);
  seedChecksum = expected.checksum();
  largeCounts = expected.apply(largeFileRows(LARGE_ROWS, LARGE_DISTINCT), true);
  finalChecksum = expected.checksum();
  // The plan itself, so a change to the generator cannot quietly weaken the tests.
  expect(seedCounts).toEqual({ totalRows: SEED_ROWS, errorCount: 0, createdCount: SEED_ROWS, updatedCount: 0 });
  expect(largeCounts.createdCount).toBe(LARGE_DISTINCT - SEED_ROWS);
  expect(largeCounts.updatedCount).toBe(SEED_ROWS);
  expect(largeCounts.errorCount).toBeGreaterThan(0);
  expect(finalChecksum.count).toBe(LARGE_DISTINCT);
}, 60_000);
afterAll(() => files.remove());

/** Everything a test started, stopped afterwards even when it failed half-way. */
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});

async function startServer(env: Record<string, string>): Promise<AppProcess> {
  const server = await startAppProcess({ ROLE: "all", WEBHOOK_ALLOW_PRIVATE_NETWORKS: "1", LOG_LEVEL: "info", ...env });
  cleanups.push(() => server.stop());
  return server;
}

async function startImportReceiver(api: ApiClient): Promise<Receiver> {
  const receiver = await startReceiver();
  cleanups.push(() => receiver.close());
  await api.api.webhooks.create.mutate({ url: receiver.url, events: ["import.completed", "import.failed"] });
  return receiver;
}

/** Loads the seed through the app and checks it; the large import then updates every seeded product. */
async function seedCatalog(api: ApiClient, db: pg.Client) {
  const upload = await api.uploadFile(seedFile, "seed.csv");
  expect(upload.status, `seed upload: ${JSON.stringify(upload.body)}`).toBe(202);
  const seeded = await api.waitForImport(upload.body.id, undefined, 60_000);
  expect(seeded, "the seed import").toMatchObject({ status: "completed", ...seedCounts });
  expect(await catalogChecksum(db), "the catalog after the seed import").toEqual({ ...seedChecksum, countedByApp: seedChecksum.count });
}

/** Everything that must hold once the interrupted import has been finished by a later process. */
async function expectAppliedExactlyOnce(db: pg.Client, receiver: Receiver, importId: string, serverOutput: () => string) {
  const done = await importState(db, importId);
  expect(done.status, `import ${importId} after recovery (${done.error ?? "no error"})\n${tail(serverOutput())}`).toBe("completed");

  const catalog = await catalogChecksum(db);
  expect(catalog.count, "products in the catalog").toBe(finalChecksum.count);
  expect(catalog.md5, "checksum of every product's sku, name, description and active").toBe(finalChecksum.md5);
  expect(catalog.countedByApp, "catalog_counts (the app's running total) must match the table").toBe(finalChecksum.count);

  // The staged rows go right after the merge commits; what an undo needs stays, complete.
  await waitUntil(
    `the staged rows of import ${importId} to be dropped`,
    async () => {
      const { rows } = await db.query("SELECT to_regclass($1) IS NULL AS dropped", [`staging.import_${importId}`]);
      return rows[0].dropped ? true : undefined;
    },
    10_000,
  );
  const { rows: undo } = await db.query(
    `SELECT revertible, updated_count - unchanged_count AS changed, (SELECT count(*)::int FROM staging.${`import_${importId}_before`}) AS images
     FROM imports WHERE id = $1`,
    [importId],
  );
  expect(undo[0], "the import can be undone: one before-image per product it changed").toEqual({
    revertible: true,
    changed: undo[0].images,
    images: SEED_ROWS,
  });

  const events = await importEvents(db, importId);
  expect(
    events.map((event) => event.type),
    "the outbox holds exactly one import.completed for the import",
  ).toEqual(["import.completed"]);

  // The event reaches the receiver once: wait for it, then until nothing more of it is queued or
  // under way (a duplicate would have arrived by then).
  await waitUntil(
    `the import.completed delivery for import ${importId}`,
    async () => (deliveriesAbout(receiver, importId).length ? true : undefined),
    30_000,
  );
  await deliveriesSettled(db, { eventIds: [events[0]!.id] }, 30_000);
  const deliveries = deliveriesAbout(receiver, importId);
  expect(
    deliveries.map((delivery) => ({ type: delivery.body.type, webhookId: delivery.webhookId })),
    "the receiver gets exactly one import.completed delivery, with the outbox event's id",
  ).toEqual([{ type: "import.completed", webhookId: events[0]!.id }]);
  expect(deliveries[0]!.body.data, "the delivered counts").toMatchObject({
    status: "completed",
    totalRows: largeCounts.totalRows,
    createdCount: largeCounts.createdCount,
    updatedCount: largeCounts.updatedCount,
    errorCount: largeCounts.errorCount,
  });
}

/** A server with a webhook receiver and the seeded catalog, merging the large file when this returns. */
async function startMergingLargeFile(databaseUrl: string, db: pg.Client) {
  const server = await startServer({ DATABASE_URL: databaseUrl });
  const api = apiClient(server.url);
  const receiver = await startImportReceiver(api);
  await seedCatalog(api, db);

  const upload = await api.uploadFile(largeFile, "large.csv");
  expect(upload.status, `large upload: ${JSON.stringify(upload.body)}`).toBe(202);
  const importId = String(upload.body.id);
  const merging = await waitForMergeRunning(db, importId);
  return { server, api, receiver, importId, merging };
}

describe("crash safety", () => {
  it("finishes an import whose server was SIGKILLed mid-merge, once, when a new server starts on the same database", async () => {
    const databaseUrl = await createTestDatabase();
    const db = await testConnection(databaseUrl);
    cleanups.push(() => db.end());

    const { server: first, receiver, importId, merging } = await startMergingLargeFile(databaseUrl, db);
    first.child.kill("SIGKILL");
    const killedAt = Date.now();
    expect(await first.exited, "the first server is gone").toEqual({ code: null, signal: "SIGKILL" });

    // Postgres notices the dead client (client_connection_check_interval) and rolls the merge back.
    const lingered = await waitUntil(
      "the killed server's sessions to end",
      async () => ((await appSessions(db)).length === 0 ? Date.now() - killedAt : undefined),
      30_000,
    );
    const left = await importState(db, importId);
    expect(left.status, `what the killed server left (it was at ${merging.processed_rows} of ${merging.total_rows} rows)`).toBe("processing");
    expect(await catalogChecksum(db), "the catalog while no server runs: exactly the seed, nothing of the half-done merge").toEqual({
      ...seedChecksum,
      countedByApp: seedChecksum.count,
    });
    expect(await importEvents(db, importId), "no outcome event was recorded for the interrupted merge").toEqual([]);

    const restartedAt = Date.now();
    const second = await startServer({ DATABASE_URL: databaseUrl });
    const readyMs = Date.now() - restartedAt;
    const done = await whileAlive(
      second,
      "the import to finish",
      apiClient(second.url).waitForImport(
        importId,
        (item) => ["completed", "failed", "cancelled"].includes(item.status),
        RECOVERY_MS - (Date.now() - restartedAt),
      ),
    ).catch((error: Error) => {
      throw new Error(`${error.message} (the second server took ${readyMs} ms to be ready)\nsecond server's log:\n${tail(second.output())}`);
    });
    const recoveredMs = Date.now() - restartedAt;
    expect(done, `the import after the restart\n${tail(second.output())}`).toMatchObject({
      status: "completed",
      error: null,
      ...largeCounts,
    });
    expect(recoveredMs).toBeLessThan(RECOVERY_MS);
    await expectAppliedExactlyOnce(db, receiver, importId, second.output);

    // The killed server had dropped the search indexes for the large merge; they come back.
    const indexesBackMs = await waitUntil(
      "the search indexes the killed server dropped to be rebuilt",
      async () => {
        const { rows } = await db.query(
          `SELECT count(*)::int AS valid FROM pg_index
           WHERE indexrelid IN (to_regclass('products_sku_search'), to_regclass('products_name_search'), to_regclass('products_description_search'))
             AND indisvalid AND indisready`,
        );
        return rows[0].valid === 3 ? Date.now() - restartedAt : undefined;
      },
      90_000,
      500,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${tail(second.output())}`);
    });
    console.info(
      `[crash-safety] search indexes valid again ${indexesBackMs} ms after the restart; SIGKILL at ${merging.processed_rows}/${merging.total_rows} rows; sessions gone ${lingered} ms later; ` +
        `second server ready after ${readyMs} ms; import completed ${recoveredMs} ms after the restart`,
    );
  }, 180_000);

  it("leaves the catalog as before an undo or as after it, never between, when its server is SIGKILLed mid-undo", async () => {
    const databaseUrl = await createTestDatabase();
    const db = await testConnection(databaseUrl);
    cleanups.push(() => db.end());
    const first = await startServer({ DATABASE_URL: databaseUrl });
    const api = apiClient(first.url);
    await seedCatalog(api, db);
    const upload = await api.uploadFile(largeFile, "large.csv");
    const importId = String(upload.body.id);
    expect(await api.waitForImport(importId, undefined, 90_000)).toMatchObject({ status: "completed", revertible: true });

    // The undo removes 350,000 products and gives 100,000 their seeded values back, in one transaction.
    const undo = api.api.imports.revert.mutate({ id: importId });
    undo.catch(() => {});
    await waitUntil(
      "the undo to be writing the catalog",
      async () => {
        const { rows } = await db.query(
          `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND state = 'active'
           AND (query LIKE '%DELETE FROM products WHERE created_import_id%' OR query LIKE '%SET sku = b.sku%')`,
        );
        return rows.length ? true : undefined;
      },
      60_000,
      5,
    );
    first.child.kill("SIGKILL");
    await first.exited;
    await waitUntil("the killed server's sessions to end", async () => ((await appSessions(db)).length === 0 ? true : undefined), 30_000);

    const left = await importState(db, importId);
    const catalog = await catalogChecksum(db);
    const undone = left.status === "reverted";
    expect(left.status).toMatch(/^(completed|reverted)$/);
    expect(catalog, `the catalog with the import ${left.status}: all of the undo or none of it`).toEqual(
      undone ? { ...seedChecksum, countedByApp: seedChecksum.count } : { ...finalChecksum, countedByApp: finalChecksum.count },
    );

    // A new server can finish the job: the import is undone exactly once.
    const second = await startServer({ DATABASE_URL: databaseUrl });
    const again = apiClient(second.url);
    if (!undone) expect(await again.api.imports.revert.mutate({ id: importId })).toMatchObject({ kept: 0, restored: SEED_ROWS });
    expect(await catalogChecksum(db)).toEqual({ ...seedChecksum, countedByApp: seedChecksum.count });
    expect((await importEvents(db, importId)).map((event) => event.type)).toEqual(["import.completed", "import.reverted"]);
  }, 180_000);

  describe("when Postgres restarts mid-merge", () => {
    let postgres: RestartablePostgres;
    beforeAll(async () => {
      postgres = await startRestartablePostgres();
    }, 60_000);
    afterAll(() => postgres?.destroy());

    it("the server rides it out and the import finishes on its own, once, with the exact catalog", async () => {
      await ensureDatabase(postgres.adminUrl, "crash_restart");
      const databaseUrl = postgres.urlFor("crash_restart");
      let db = await testConnection(databaseUrl);
      cleanups.push(() => db.end());

      const { server, api, receiver, importId, merging } = await startMergingLargeFile(databaseUrl, db);
      const logBefore = server.output().length;

      // A clean fast shutdown: Postgres ends every session (the merge rolls back), then stops.
      await postgres.stop();
      const stoppedAt = Date.now();
      const healthDown = await waitUntil(
        "/healthz to answer 503 while Postgres is down",
        async () => {
          const status = await api.healthStatus();
          return status === 503 || !server.alive() ? status : undefined;
        },
        15_000,
        200,
      );
      // An outage of seconds, which the server must ride out: the time passing is what is under test.
      await sleep(5_000);
      const aliveWhileDown = server.alive();
      const healthStillDown = aliveWhileDown ? await api.healthStatus() : "process gone";

      await postgres.start();
      const restartedAt = Date.now();
      await waitUntil("the server to answer again, or to exit", async () => !server.alive() || (await api.healthStatus()) === 200, 30_000, 200);
      const aliveAfterRestart = server.alive();
      const exit = aliveAfterRestart ? null : await server.exited;
      const downLog = server.output().slice(logBefore);

      // The contract: 503 while the database is unreachable.
      expect.soft(healthDown, `/healthz while Postgres was down\n${tail(downLog)}`).toBe(503);
      expect.soft(healthStillDown, "/healthz five seconds into the outage").toBe(503);
      // The server should ride the outage out. If it died, say so (and how), then carry on with a
      // new process to check that nothing of the import was lost or doubled.
      expect
        .soft(
          aliveAfterRestart,
          `the server died during the Postgres restart (exit ${JSON.stringify(exit)}), its log from the outage on:\n${tail(downLog, 80)}`,
        )
        .toBe(true);
      let current: AppProcess = server;
      if (!aliveAfterRestart) current = await startServer({ DATABASE_URL: databaseUrl });
      const currentApi = apiClient(current.url);

      const healthy = await waitUntil(
        "/healthz to answer 200 after Postgres is back",
        async () => ((await currentApi.healthStatus()) === 200 ? Date.now() - restartedAt : undefined),
        30_000,
        200,
      );

      await db.end().catch(() => {});
      db = await testConnection(databaseUrl);
      const done = await whileAlive(
        current,
        "the import to finish",
        currentApi.waitForImport(
          importId,
          (item) => ["completed", "failed", "cancelled"].includes(item.status),
          RECOVERY_MS - (Date.now() - restartedAt),
        ),
      ).catch((error: Error) => {
        throw new Error(`${error.message}\nserver log:\n${tail(current.output())}`);
      });
      const recoveredMs = Date.now() - restartedAt;
      expect(done, `the import after Postgres came back\n${tail(current.output())}`).toMatchObject({
        status: "completed",
        error: null,
        ...largeCounts,
      });
      expect(recoveredMs).toBeLessThan(RECOVERY_MS);
      await expectAppliedExactlyOnce(db, receiver, importId, current.output);
      console.info(
        `[crash-safety] Postgres stopped at ${merging.processed_rows}/${merging.total_rows} rows; /healthz ${healthDown} while down; ` +
          `server ${aliveAfterRestart ? "stayed up" : `died (${JSON.stringify(exit)})`}; healthy ${healthy} ms and import completed ` +
          `${recoveredMs} ms after Postgres was back (down ${restartedAt - stoppedAt} ms)\n--- server log from the outage on ---\n${tail(
            current === server ? server.output().slice(logBefore) : downLog,
            40,
          )}`,
      );
    }, 180_000);
  });
});
