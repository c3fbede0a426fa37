import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { sleep, waitUntil } from "../support/wait.js";
import { silentClient, tricklingClient, uploadInPieces, type SilentClient, type TricklingClient } from "../support/raw-http.js";
import { startTestApp, uploadingImports, type TestApp } from "../support/test-app.js";

const IDLE_MS = 1_000;
const STALL_MS = 3_000;
const BOUNDARY = "----silent";

/** The app's pooled connections sitting in an open transaction (an upload's COPY holds one). */
async function connectionsInTransaction(app: TestApp): Promise<number> {
  const { rows } = await sql<{ count: number }>`
    SELECT count(*)::int AS count FROM pg_stat_activity
    WHERE datname = current_database() AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%'`.execute(app.database.db);
  return rows[0]!.count;
}

/**
 * Until told to fall silent, these clients send a byte every tenth of the idle timeout: they hold
 * their slots for as long as the test needs, however slowly a loaded machine runs it.
 */
const rawCsvHead = (app: TestApp, name: string) =>
  tricklingClient(
    app.url,
    `POST /api/imports?filename=${name} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/csv\r\nContent-Length: 1000000\r\n\r\nsku,name\r\n${name}-1,First row\r\n`,
    IDLE_MS / 10,
  );

const multipartHead = (app: TestApp, body: string) =>
  tricklingClient(
    app.url,
    `POST /api/imports HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: 1000000\r\n\r\n${body}`,
    IDLE_MS / 10,
  );

describe("uploads that stop sending", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ UPLOAD_IDLE_TIMEOUT_MS: String(IDLE_MS), MAX_CONCURRENT_UPLOADS: "4" });
  });
  afterAll(async () => {
    await app?.stop();
  });

  it("are failed with the reason after the idle timeout, freeing their slots and connections", async () => {
    const silent: TricklingClient[] = [
      await rawCsvHead(app, "silent-a"),
      await rawCsvHead(app, "silent-b"),
      // One stops inside the file part, one before the file part even begins.
      await multipartHead(
        app,
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="silent-c.csv"\r\n\r\nsku,name\r\nsilent-c-1,Row\r\n`,
      ),
      await multipartHead(app, `--${BOUNDARY}\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello`),
    ];
    // The two raw uploads and the multipart file have begun staging: three imports are uploading.
    const uploading = await uploadingImports(app, 3);
    const blocked = await app.uploadCsv("sku,name\nwaiting-1,Turned away\n", "while-full.csv");
    expect(blocked.status, "every upload slot is held by a silent client").toBe(503);
    silent.forEach((client) => client.fallSilent());

    await waitUntil(
      "every silent client to be answered",
      async () => (silent.every((client) => client.status() !== null) ? true : undefined),
      // Far past the idle timeout, for a machine busy with other work.
      IDLE_MS * 15,
    ).catch((error: Error) => {
      throw new Error(`${error.message}: ${silent.map((client) => client.status()).join(", ")}`);
    });
    for (const client of silent) {
      expect(client.status()).toBe(408);
      expect(client.answer()).toContain("Nothing arrived for 1 s, so the upload was stopped and nothing was imported.");
    }
    for (const item of uploading) {
      const failed = await app.waitForImport(item.id);
      expect(failed).toMatchObject({ status: "failed", error: expect.stringContaining("Nothing arrived for 1 s") });
    }
    await waitUntil("their connections to be released", async () => ((await connectionsInTransaction(app)) === 0 ? true : undefined), 5_000);

    const after = await app.uploadCsv("sku,name\nafter-1,Accepted again\n", "after.csv");
    expect(after.status).toBe(202);
    expect((await app.waitForImport(after.body.id)).status).toBe("completed");
    silent.forEach((client) => client.destroy());
  });

  it("still work when slow, as long as something keeps arriving", async () => {
    const rows = Array.from({ length: 12 }, (_, i) => `slow-${i},Row ${i}\n`);
    const body = ["sku,name\n", ...rows];
    // A chunk every 30% of the idle timeout: 3.6 s in all, well past the timeout.
    const response = await uploadInPieces(app.url, "slow.csv", body, IDLE_MS * 0.3);
    expect(response.status).toBe(202);
    expect(await app.waitForImport(JSON.parse(response.text).id)).toMatchObject({ status: "completed", createdCount: 12 });
  });
});

describe("exports nobody reads", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ MAX_CONCURRENT_EXPORTS: "2", EXPORT_STALL_TIMEOUT_MS: String(STALL_MS) });
    // ~40 MB of CSV (~20 MB compressed): far more than the sockets of a client that reads nothing can buffer.
    await sql`
      INSERT INTO products (sku, name, description)
      SELECT 'export-' || i, 'Product ' || i, (SELECT string_agg(md5(i::text || '/' || j), '') FROM generate_series(1, 40) AS j)
      FROM generate_series(1, 30000) AS i`.execute(app.database.db);
    await sql`UPDATE catalog_counts SET products = 30000`.execute(app.database.db);
  });
  afterAll(async () => {
    await app?.stop();
  });

  const copiesRunning = async () => {
    const { rows } = await sql<{ count: number }>`
      SELECT count(*)::int AS count FROM pg_stat_activity
      WHERE datname = current_database() AND query LIKE 'COPY (%' AND state <> 'idle'`.execute(app.database.db);
    return rows[0]!.count;
  };

  it("are capped per process, leave the pool to everyone else, and end once their client stops reading", async () => {
    const exportRequest = (headers = "") => silentClient(app.url, `GET /api/products/export HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers}\r\n`);
    const answered = (clients: SilentClient[]) =>
      waitUntil("the exports to be answered", async () => (clients.every((client) => client.status() !== null) ? true : undefined), 10_000);
    // The first two take the slots: one compressed (as browsers ask), one plain.
    const gone = await exportRequest("Accept-Encoding: gzip\r\n");
    await answered([gone]);
    const pausing = await exportRequest();
    await answered([pausing]);
    const stuck = [gone, pausing, ...(await Promise.all(Array.from({ length: 11 }, () => exportRequest())))];
    await answered(stuck);
    const statuses = stuck.map((client) => client.status());
    expect(statuses.slice(0, 2)).toEqual([200, 200]);
    expect(gone.firstChunk()).toMatch(/content-encoding: gzip/i);
    expect(statuses.filter((status) => status === 503)).toHaveLength(11);
    expect(stuck.find((client) => client.status() === 503)!.firstChunk()).toContain("already streaming 2 exports");

    const startedAt = performance.now();
    const [health, list] = await Promise.all([
      fetch(`${app.url}/healthz`, { signal: AbortSignal.timeout(5_000) }),
      app.api.products.list.query({ name: "Product 1" }),
    ]);
    expect(health.status).toBe(200);
    expect(list.items.length).toBeGreaterThan(0);
    expect(performance.now() - startedAt, "pages and the API are not starved of connections").toBeLessThan(3_000);

    expect(await copiesRunning(), "the two exports wait on their clients").toBe(2);
    // One client only pauses (for less than the stall timeout, on purpose) and then reads on: it gets it all.
    await sleep(STALL_MS * 0.6);
    const rest = await pausing.readTheRest();
    expect(rest.endsWith("0\r\n\r\n"), "the paused export ran to its end").toBe(true);
    expect(rest).toContain("export-30000,Product 30000,");
    await waitUntil("the stalled export to be ended", async () => ((await copiesRunning()) === 0 ? true : undefined), STALL_MS * 3);
    const cut = await gone.readTheRest();
    expect(cut.length, "the compressed export had begun").toBeGreaterThan(0);
    expect(cut.endsWith("0\r\n\r\n"), "the client that never read again was cut off mid-export").toBe(false);
    expect(gone.closed()).toBe(true);

    const full = await fetch(`${app.url}/api/products/export`);
    expect(full.status).toBe(200);
    expect((await full.text()).trimEnd().split("\n")).toHaveLength(30_001);
    stuck.forEach((client) => client.destroy());
  });
});
