import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import PgBoss from "pg-boss";
import { apiClient, type ApiClient } from "../support/api-client.js";
import { startAppProcess, type AppProcess } from "../support/app-process.js";
import { scratchDir, writeCsvFile, type FileRow } from "../support/catalog-plan.js";
import { importEvents, tail, testConnection, whileAlive } from "../support/crash-helpers.js";
import { applyJobsSettled } from "../support/job-queue.js";
import { sleep, waitUntil } from "../support/wait.js";
import { readEventStream } from "../support/sse.js";
import { createTestDatabase } from "../support/test-database.js";
import { JOB_QUEUE_SCHEMA } from "../../server/webhooks/delivery-queue.js";

/**
 * Many processes on one database, as the README deploys them: two `ROLE=web` processes behind a
 * (pretend) load balancer and one `ROLE=worker`, each its own OS process. Progress reaches every
 * web process through LISTEN/NOTIFY, imports apply once each, in upload order, and only the
 * worker applies them.
 */

const LIVE_ROWS = 300_000;
const STATUS_ORDER = ["uploading", "queued", "processing", "completed"];

const files = scratchDir("many-processes-");
let databaseUrl: string;
let db: pg.Client;
let webA: AppProcess;
let webB: AppProcess;
let worker: AppProcess;
let apiA: ApiClient;
let apiB: ApiClient;
const processes: AppProcess[] = [];

function start(role: "web" | "worker") {
  return startAppProcess({ DATABASE_URL: databaseUrl, ROLE: role, LOG_LEVEL: "info" }).then((server) => {
    processes.push(server);
    return server;
  });
}

async function stopAll() {
  await Promise.all(processes.splice(0).map((server) => server.stop()));
}

afterAll(async () => {
  await stopAll();
  await db?.end();
  files.remove();
});

/** Every imports.apply job pg-boss holds (pgboss.job, then pgboss.archive), oldest first. */
async function applyJobs() {
  const { rows } = await db.query<{
    id: string;
    state: string;
    retry_count: number;
    created_on: Date;
    start_after: Date;
    started_on: Date | null;
    completed_on: Date | null;
  }>(
    `SELECT id::text, state::text, retry_count, created_on, start_after, started_on, completed_on FROM pgboss.job WHERE name = 'imports.apply'
     UNION ALL
     SELECT id::text, state::text, retry_count, created_on, start_after, started_on, completed_on FROM pgboss.archive WHERE name = 'imports.apply'
     ORDER BY created_on`,
  );
  return rows;
}

function logsOfAll() {
  return `web A:\n${tail(webA.output(), 20)}\nweb B:\n${tail(webB.output(), 20)}\nworker:\n${tail(worker.output(), 30)}`;
}

describe("two web processes and a worker on one database", () => {
  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    db = await testConnection(databaseUrl);
    // Web A first: it creates pg-boss's queues. Processes starting at the same moment on a fresh
    // database is its own test below (it deadlocked, see there).
    webA = await start("web");
    [webB, worker] = await Promise.all([start("web"), start("worker")]);
    apiA = apiClient(webA.url);
    apiB = apiClient(webB.url);
  }, 120_000);
  afterAll(stopAll);

  it("web B streams the live progress of an import uploaded to web A and applied by the worker, and ends after completed", async () => {
    const file = files.file("live.csv");
    await writeCsvFile(
      file,
      false,
      (function* (): Generator<FileRow> {
        for (let i = 0; i < LIVE_ROWS; i += 1) yield { sku: `live-${i}`, name: `Live ${i}`, description: `Streamed, row ${i}` };
      })(),
    );

    const upload = apiA.uploadFile(file, "live.csv");
    // Web B learns of the import while web A is still receiving it (it is in the imports table from
    // the first rows on), and follows it from there.
    const id: string = await waitUntil(
      "web B to list the import web A is receiving",
      async () => {
        const { items } = await apiB.api.imports.list.query({ pageSize: 5 });
        return items.find((item: { filename: string }) => item.filename === "live.csv")?.id;
      },
      30_000,
      25,
    );
    const stream = readEventStream(`${webB.url}/api/imports/${id}/events`, { timeoutMs: 90_000 });
    const uploaded = await upload;
    expect(uploaded, "web A accepts the upload").toMatchObject({ status: 202, body: { id } });

    const { status, events, ended } = await whileAlive(worker, "the import's progress stream on web B", stream);
    const summary = events.map((event) => `${event.id}:${event.data.status}:${event.data.processedRows}`).join(" ");
    expect(status).toBe(200);
    expect(ended, `web B's stream must end by itself after the outcome; got ${summary}\n${logsOfAll()}`).toBe(true);
    expect(events.length, summary).toBeGreaterThan(2);

    const statuses = events.map((event) => event.data.status as string);
    expect(STATUS_ORDER.slice(0, 2), `web B's stream starts before the merge: ${summary}`).toContain(statuses[0]);
    expect(statuses.at(-1), summary).toBe("completed");
    expect(statuses, summary).toContain("processing");
    const ranks = statuses.map((value) => STATUS_ORDER.indexOf(value));
    expect(ranks, `statuses only move forward: ${summary}`).toEqual([...ranks].sort((a, b) => a - b));
    expect(ranks.includes(-1), `no unexpected status: ${summary}`).toBe(false);

    const processed = events.filter((event) => event.data.status === "processing").map((event) => event.data.processedRows as number);
    expect(processed, `processed rows never go back: ${summary}`).toEqual([...processed].sort((a, b) => a - b));
    const midway = processed.filter((count) => count > 0 && count < LIVE_ROWS);
    expect(midway.length, `web B saw the merge move (0 < processedRows < ${LIVE_ROWS}) while it ran: ${summary}`).toBeGreaterThan(0);

    const ids = events.map((event) => Number(event.id));
    expect(ids, "event ids (the import's version) strictly increase").toEqual([...new Set(ids)].sort((a, b) => a - b));
    expect(events.at(-1)!.data).toMatchObject({
      status: "completed",
      totalRows: LIVE_ROWS,
      processedRows: LIVE_ROWS,
      createdCount: LIVE_ROWS,
      updatedCount: 0,
    });
    console.info(`[many-processes] web B's stream: ${summary}`);
  }, 120_000);

  it("applies imports sent through both web processes once each, in upload order, never two at a time", async () => {
    const SHARED = 2_000;
    const OWN = 3_000;
    const csvFor = (n: number) => {
      const lines = ["sku,name,description"];
      for (let i = 0; i < SHARED; i += 1) lines.push(`shared-${i},Shared from batch ${n},Batch ${n}`);
      for (let i = 0; i < OWN; i += 1) lines.push(`batch${n}-${i},Own ${i} of batch ${n},Batch ${n}`);
      return `${lines.join("\n")}\n`;
    };
    const uploads = await Promise.all([0, 1, 2, 3, 4].map((n) => (n % 2 === 0 ? apiA : apiB).uploadCsv(csvFor(n), `batch-${n}.csv`)));
    for (const [n, upload] of uploads.entries()) expect(upload.status, `upload of batch ${n}: ${JSON.stringify(upload.body)}`).toBe(202);
    const ids = uploads.map((upload) => String(upload.body.id));
    for (const id of ids) {
      const done = await whileAlive(worker, `import ${id}`, apiB.waitForImport(id, undefined, 60_000));
      expect(done.status, `import ${id}\n${logsOfAll()}`).toBe("completed");
    }

    // In the order they were applied (their place in the queue, taken when the upload finished).
    const { rows } = await db.query<{
      id: string;
      filename: string;
      started_at: Date;
      finished_at: Date;
      created_count: number;
      updated_count: number;
    }>(
      `SELECT id::text, filename, started_at, finished_at, created_count, updated_count
       FROM imports WHERE id = ANY($1::bigint[]) ORDER BY queue_position`,
      [ids],
    );
    expect(rows).toHaveLength(5);
    rows.forEach((row, index) => {
      const expected = index === 0 ? { created_count: SHARED + OWN, updated_count: 0 } : { created_count: OWN, updated_count: SHARED };
      expect(row, `the ${index + 1}. import applied (${row.filename})`).toMatchObject(expected);
      if (index > 0) {
        const before = rows[index - 1]!;
        expect(
          before.finished_at.getTime(),
          `${before.filename} finished (${before.finished_at.toISOString()}) before ${row.filename} started (${row.started_at.toISOString()})`,
        ).toBeLessThanOrEqual(row.started_at.getTime());
      }
    });
    const lastBatch = /batch-(\d)\.csv/.exec(rows.at(-1)!.filename)![1];
    const { rows: shared } = await db.query("SELECT name, count(*)::int AS count FROM products WHERE sku LIKE 'shared-%' GROUP BY name");
    expect(shared, "the shared SKUs carry the last-applied file's names").toEqual([{ name: `Shared from batch ${lastBatch}`, count: SHARED }]);

    for (const id of ids) {
      expect(
        (await importEvents(db, id)).map((event) => event.type),
        `outbox events of import ${id}`,
      ).toEqual(["import.completed"]);
    }

    // pg-boss 10 keeps every job in pgboss.job (a partition per queue) until maintenance moves
    // completed ones to pgboss.archive; read both. Nothing may have failed or been retried. (Its
    // timestamps cannot show exclusivity: it records a job's completion without awaiting it and
    // fetches the next at once, so consecutive jobs overlap by milliseconds on paper. The imports'
    // own started_at/finished_at above, written while holding the catalog lock, can.)
    await applyJobsSettled(db);
    const jobs = await applyJobs();
    expect(jobs.length).toBeGreaterThan(0);
    expect(
      jobs.filter((job) => job.state !== "completed" || job.retry_count !== 0),
      `apply jobs that failed or were retried: ${JSON.stringify(jobs)}`,
    ).toEqual([]);
  }, 120_000);

  it("only the worker applies imports: without it they wait as queued, and it applies them when it is back", async () => {
    const code = await worker.stop("SIGTERM");
    expect(code, `the worker stops cleanly on SIGTERM\n${tail(worker.output())}`).toBe(0);

    const [viaA, viaB] = await Promise.all([
      apiA.uploadCsv("sku,name\nidle-a-1,Waits for a worker\nidle-a-2,Also waits\n", "idle-a.csv"),
      apiB.uploadCsv("sku,name\nidle-b-1,Waits too\n", "idle-b.csv"),
    ]);
    expect([viaA.status, viaB.status], JSON.stringify([viaA.body, viaB.body])).toEqual([202, 202]);
    const ids = [String(viaA.body.id), String(viaB.body.id)];

    // Web processes poll nothing: far longer than a worker's 1 s poll, and nothing moves (the time
    // passing is what is under test).
    await sleep(4_000);
    for (const id of ids) expect((await apiA.getImport(id)).status, `import ${id} with no worker running`).toBe("queued");
    const { rows: waiting } = await db.query<{ state: string; count: number }>(
      "SELECT state::text, count(*)::int AS count FROM pgboss.job WHERE name = 'imports.apply' AND state < 'completed' GROUP BY state",
    );
    expect(waiting, "apply jobs wait, untaken, while only web processes run").toEqual([{ state: "created", count: expect.any(Number) }]);

    worker = await start("worker");
    for (const [index, id] of ids.entries()) {
      const done = await whileAlive(worker, `import ${id}`, apiB.waitForImport(id, undefined, 30_000));
      expect(done, `import ${id} once the worker is back`).toMatchObject({
        status: "completed",
        createdCount: index === 0 ? 2 : 1,
        updatedCount: 0,
      });
    }
    // A job may find its import already applied by an earlier one (jobs carry no import); all settle.
    await applyJobsSettled(db, "the apply jobs sent while the worker was away to settle").catch(async (error: Error) => {
      throw new Error(`${error.message}\napply jobs: ${JSON.stringify(await applyJobs())}\nworker:\n${tail(worker.output())}`);
    });
    const { rows: failed } = await db.query(
      "SELECT id, state::text, retry_count FROM pgboss.job WHERE name = 'imports.apply' AND (state <> 'completed' OR retry_count > 0)",
    );
    expect(failed, "apply jobs that failed or were retried").toEqual([]);
  }, 120_000);
});

describe("processes started at the same moment on a fresh database", () => {
  it("all come up: the job queue's setup tolerates several processes creating its queues at once", async () => {
    const url = await createTestDatabase();
    // pg-boss's schema without any queue, as the first start of a deploy finds it (installing it is
    // already serialised by pg-boss's own advisory lock).
    const installer = new PgBoss({ connectionString: url, schema: JOB_QUEUE_SCHEMA, supervise: false, schedule: false });
    installer.on("error", () => {});
    await installer.start();
    await installer.stop({ graceful: false, wait: true });

    // Line the processes up where they create their queues: hold writes to pgboss.queue until all
    // three wait, then let them go together, as a deploy starting three containers at once would.
    const gate = await testConnection(url);
    await gate.query("BEGIN");
    await gate.query("LOCK TABLE pgboss.queue IN SHARE ROW EXCLUSIVE MODE");
    const roles = ["web", "web", "worker"] as const;
    const starting = roles.map((role) => startAppProcess({ DATABASE_URL: url, ROLE: role, LOG_LEVEL: "info" }));
    starting.forEach((promise) =>
      promise.then(
        (server) => processes.push(server),
        () => {},
      ),
    );
    // Watched from another connection: inside the gate's transaction pg_stat_activity is a snapshot.
    const watcher = await testConnection(url);
    const sessions = () =>
      watcher.query(
        `SELECT application_name, state, wait_event_type, wait_event, left(query, 100) AS query FROM pg_stat_activity
         WHERE datname = current_database() AND application_name LIKE 'product-importer%'`,
      );
    await waitUntil(
      "the three processes to wait at the job queue's setup",
      // Waiting to create a queue, or (a setup that serialises it) for an advisory lock; pg-boss's
      // own maintenance also waits on the gate now and then and must not count.
      async () =>
        (await sessions()).rows.filter((row) => row.wait_event_type === "Lock" && (/create_queue/i.test(row.query) || row.wait_event === "advisory"))
          .length >= roles.length
          ? true
          : undefined,
      30_000,
      100,
    ).catch(async () => {
      // The gate only lines them up; if a future setup never waits here, let them go anyway.
      console.warn(`[many-processes] not all three waited at the gate: ${JSON.stringify((await sessions()).rows)}`);
    });
    await watcher.end();
    await gate.query("COMMIT");
    await gate.end();

    const results = await Promise.allSettled(starting);
    const failures = results.flatMap((result, index) =>
      result.status === "rejected" ? [`${roles[index]} process ${index + 1}: ${(result.reason as Error).message.slice(0, 3_000)}`] : [],
    );
    expect(failures, `processes that failed to start:\n${failures.join("\n\n")}`).toEqual([]);
    const { rows: queues } = await (async () => {
      const client = await testConnection(url);
      try {
        return await client.query("SELECT name FROM pgboss.queue ORDER BY name");
      } finally {
        await client.end();
      }
    })();
    expect(queues.map((queue: { name: string }) => queue.name)).toEqual(expect.arrayContaining(["imports.apply", "webhooks.deliver"]));
  }, 120_000);
});
