import { afterAll, beforeEach, expect, it } from "vitest";
import pg from "pg";
import { startAppProcess, type AppProcess } from "../support/app-process.js";
import { createTestDatabase } from "../support/test-database.js";
import { readEventStream } from "../support/sse.js";
import { waitForMergeRunning } from "../support/crash-helpers.js";
import { waitUntil } from "../support/wait.js";

/**
 * SIGTERM on a real server process: streams end, no new work starts, the running import either
 * finishes (time allowed) or goes back to the queue untouched (deadline reached), and the process
 * exits 0 by itself.
 */

const running: AppProcess[] = [];
const clients: pg.Client[] = [];
let databaseUrl: string;
let db: pg.Client;

// Each test on a database of its own: what one leaves queued must not run in the next.
beforeEach(async () => {
  databaseUrl = await createTestDatabase();
  db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  clients.push(db);
});
afterAll(async () => {
  for (const server of running) await server.stop("SIGKILL");
  for (const client of clients) await client.end();
});

async function start(env: Record<string, string>) {
  const server = await startAppProcess({ DATABASE_URL: databaseUrl, LOG_LEVEL: "info", ...env });
  running.push(server);
  return server;
}

function csv(rows: number, prefix: string): Buffer {
  const lines = ["sku,name,description"];
  for (let i = 0; i < rows; i += 1) lines.push(`${prefix}-${i},Product ${i} of ${prefix},Shutdown test row ${i}`);
  return Buffer.from(`${lines.join("\n")}\n`);
}

async function upload(server: AppProcess, body: Buffer, filename: string): Promise<string> {
  const response = await fetch(`${server.url}/api/imports?filename=${filename}`, {
    method: "POST",
    headers: { "Content-Type": "text/csv" },
    body: new Uint8Array(body),
  });
  expect(response.status).toBe(202);
  return ((await response.json()) as { id: string }).id;
}

async function importRow(id: string) {
  const { rows } = await db.query("SELECT status, processed_rows, created_count, error FROM imports WHERE id = $1", [id]);
  return rows[0] as { status: string; processed_rows: number; created_count: number; error: string | null };
}

const count = async (query: string, values: unknown[] = []) => Number((await db.query(query, values)).rows[0].count);
const eventsFor = (id: string) => count("SELECT count(*) FROM events WHERE type LIKE 'import.%' AND data->>'id' = $1", [id]);

async function stopWithSigterm(server: AppProcess) {
  const startedAt = performance.now();
  server.child.kill("SIGTERM");
  const { code } = await server.exited;
  return { code, ms: performance.now() - startedAt };
}

it("ends open progress streams and exits 0 at once when idle", async () => {
  const web = await start({ ROLE: "web" });
  // No worker in this process: the import stays queued and its stream stays open.
  const id = await upload(web, csv(10, "idle"), "idle.csv");
  let opened!: () => void;
  const firstEvent = new Promise<void>((resolve) => (opened = resolve));
  const stream = readEventStream(`${web.url}/api/imports/${id}/events`, { timeoutMs: 20_000, onEvent: () => opened() });
  await firstEvent;

  const { code, ms } = await stopWithSigterm(web);
  const { events, ended } = await stream;
  expect(code).toBe(0);
  expect(ms, "an idle process stops within a few seconds").toBeLessThan(5_000);
  expect(ended, "the server ended the stream (the browser reconnects elsewhere)").toBe(true);
  expect(events.at(-1)?.data.status).toBe("queued");
  expect(web.output()).toContain('"msg":"shutting down"');
  expect(web.output()).toContain('"msg":"stopped"');
});

it("lets a running import finish when the deadline allows, and starts none of those queued behind it", async () => {
  const server = await start({ SHUTDOWN_TIMEOUT_MS: "60000" });
  const first = await upload(server, csv(300_000, "finish"), "finish.csv");
  await waitForMergeRunning(db, first);
  const second = await upload(server, csv(50, "behind"), "behind.csv");

  const { code } = await stopWithSigterm(server);
  expect(code).toBe(0);
  expect(await importRow(first)).toMatchObject({ status: "completed", created_count: 300_000 });
  expect(await importRow(second), "no new import started after SIGTERM").toMatchObject({ status: "queued" });
  expect(await count("SELECT count(*) FROM products")).toBe(300_000);
  expect(await eventsFor(first)).toBe(1);
  expect(await eventsFor(second)).toBe(0);

  // The next process picks up what was left queued.
  const next = await start({});
  await waitUntil("the queued import to complete", async () => ((await importRow(second)).status === "completed" ? true : undefined), 60_000, 25);
  expect(await count("SELECT count(*) FROM products")).toBe(300_050);
  expect(await eventsFor(second)).toBe(1);
  await next.stop();
});

it("hands a running import back to the queue at the deadline, untouched, and another process applies it", async () => {
  const server = await start({ SHUTDOWN_TIMEOUT_MS: "0" });
  const id = await upload(server, csv(400_000, "handback"), "handback.csv");
  await waitForMergeRunning(db, id);

  const { code, ms } = await stopWithSigterm(server);
  expect(code).toBe(0);
  expect(ms, "the merge is stopped, not waited for").toBeLessThan(5_000);
  expect(await importRow(id)).toMatchObject({ status: "queued", processed_rows: 0, error: null });
  expect(await count("SELECT count(*) FROM products"), "the rolled-back merge left the catalog as it was").toBe(0);
  expect(await eventsFor(id)).toBe(0);
  expect(server.output()).toContain('"msg":"import handed back"');

  const next = await start({});
  const done = await waitUntil(
    "the handed-back import to complete",
    async () => {
      const row = await importRow(id);
      return row.status === "completed" ? row : undefined;
    },
    60_000,
    25,
  );
  expect(done.created_count).toBe(400_000);
  expect(await count("SELECT count(*) FROM products")).toBe(400_000);
  expect(await eventsFor(id), "one import.completed, none invented by the interruption").toBe(1);
  await next.stop();
});
