import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiClient } from "../support/api-client.js";
import { startAppProcess, type AppProcess } from "../support/app-process.js";
import { startFileServer, type FileServer } from "../support/file-server.js";
import { createTestDatabase } from "../support/test-database.js";
import { sleep, waitUntil } from "../support/wait.js";
import { JOB_QUEUE_SCHEMA } from "../../server/webhooks/delivery-queue.js";

/**
 * Feeds across processes (issue "Feeds"): a run missed while the app was down happens once when it
 * is back, though two processes come back at once; and a feed runs once at a time across them.
 */

let databaseUrl: string;
let db: pg.Client;
let source: FileServer;
const processes: AppProcess[] = [];
const CSV = ["sku,name", ...Array.from({ length: 500 }, (_, at) => `SKU-${at},Product ${at}`)].join("\n") + "\n";

function start() {
  return startAppProcess({ DATABASE_URL: databaseUrl, FEED_ALLOW_PRIVATE_NETWORKS: "1", LOG_LEVEL: "warn" }).then((server) => {
    processes.push(server);
    return server;
  });
}

beforeAll(async () => {
  databaseUrl = await createTestDatabase();
  db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  source = await startFileServer();
  // Slow enough that two runs would overlap if both processes started one.
  source.serve("/nightly.csv", (_req, res) => {
    res.writeHead(200, { "Content-Type": "text/csv", ETag: '"n1"' });
    res.write(CSV.slice(0, 100));
    setTimeout(() => res.end(CSV.slice(100)), 1_500);
  });
});
afterAll(async () => {
  await Promise.all(processes.splice(0).map((server) => server.stop()));
  await db?.end();
  await source?.close();
});

describe("a feed's schedule across restarts and processes", () => {
  it("runs a time missed while the app was down once, with two processes back at once, and moves the schedule on", async () => {
    const first = await start();
    const feed = await apiClient(first.url).api.feeds.create.mutate({ name: "Nightly", url: source.url("/nightly.csv"), schedule: "0 6 * * *" });
    expect(await first.stop()).toBe(0);
    processes.splice(0);

    // The app was down at 06:00: the run is owed.
    await db.query(`UPDATE feeds SET next_run_at = now() - interval '3 hours' WHERE id = $1`, [feed.id]);
    const [a, b] = await Promise.all([start(), start()]);
    const api = apiClient(a.url).api;
    const run = await waitUntil(
      "the owed run to end",
      async () => {
        const last = (await api.feeds.get.query({ id: feed.id })).lastRun;
        return last ? last.status !== "running" && last : false;
      },
      60_000,
    );
    expect(run).toMatchObject({ status: "applied", trigger: "schedule" });
    // Both processes ticked at start-up and every minute after; one run, one request, one import.
    await sleep(2_000);
    expect((await api.feeds.runs.query({ id: feed.id })).total).toBe(1);
    expect(source.requests("/nightly.csv")).toHaveLength(1);
    const next = new Date((await apiClient(b.url).api.feeds.get.query({ id: feed.id })).nextRunAt!);
    expect(next.getTime()).toBeGreaterThan(Date.now());
    expect(next.toISOString()).toMatch(/T06:00:00\.000Z$/);
    // Later runs come from pg-boss's own scheduler: a tick every minute that starts the feeds due.
    const { rows } = await db.query(`SELECT cron, timezone FROM ${JOB_QUEUE_SCHEMA}.schedule WHERE name = 'feeds.tick'`);
    expect(rows).toEqual([{ cron: "* * * * *", timezone: "UTC" }]);
  });

  it("refuses a second run from another process while one is running", async () => {
    const [a, b] = processes;
    const feedId = (await apiClient(a!.url).api.feeds.list.query({}))[0]!.id;
    // The file changed, so the run fetches it (slowly).
    source.serve("/nightly.csv", (_req, res) => {
      res.writeHead(200, { "Content-Type": "text/csv", ETag: '"n2"' });
      res.write(CSV.slice(0, 100));
      setTimeout(() => res.end(CSV.slice(100).replaceAll("Product", "Item")), 1_500);
    });
    const running = await apiClient(a!.url).api.feeds.run.mutate({ id: feedId });
    const refused = await fetch(`${b!.url}/api/trpc/feeds.run`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ id: feedId }),
    });
    expect(refused.status).toBe(409);
    expect((await refused.json()).error.message).toContain(`run ${running.id}`);
    await waitUntil(
      "the run to be applied",
      async () => (await apiClient(b!.url).api.feeds.get.query({ id: feedId })).lastRun?.status === "applied",
      30_000,
    );
  });

  it("ends a run whose process was killed: failed with the reason and feed.failed, by the next process's tick", async () => {
    await Promise.all(processes.splice(0).map((server) => server.stop()));
    // A source that sends the header and then nothing: the run is mid-file when its process dies.
    source.serve("/stuck.csv", (_req, res) => {
      res.writeHead(200, { "Content-Type": "text/csv" });
      res.write("sku,name\n");
    });
    const doomed = await start();
    const api = apiClient(doomed.url).api;
    const feed = await api.feeds.create.mutate({ name: "Stuck", url: source.url("/stuck.csv"), schedule: "0 6 * * *" });
    const run = await api.feeds.run.mutate({ id: feed.id });
    await waitUntil("the source to be asked", () => source.requests("/stuck.csv").length > 0, 20_000);
    await doomed.stop("SIGKILL");
    processes.splice(0);
    // A minute of silence from its heartbeat, without waiting a minute.
    await db.query(`UPDATE feed_runs SET heartbeat_at = now() - interval '5 minutes' WHERE id = $1`, [run.id]);

    const next = await start();
    const ended = await waitUntil(
      "the orphaned run to end",
      async () => {
        const found = (await apiClient(next.url).api.feeds.runs.query({ id: feed.id })).items.find((item) => item.id === run.id);
        return found && found.status !== "running" ? found : false;
      },
      30_000,
    );
    expect(ended).toMatchObject({
      status: "failed",
      reason: "The process running it stopped before it finished; the next run fetches the file again.",
    });
    const { rows } = await db.query(`SELECT data FROM events WHERE type = 'feed.failed'`);
    expect(rows.map((row) => row.data)).toContainEqual(expect.objectContaining({ feedId: feed.id, runId: run.id }));
  });
});
