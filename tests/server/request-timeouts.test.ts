import { afterAll, beforeAll, describe, expect, it } from "vitest";
import net from "node:net";
import { sql } from "kysely";
import { sleep, waitUntil } from "../support/wait.js";
import { silentClient, tricklingClient, uploadInPieces, type TricklingClient } from "../support/raw-http.js";
import { startTestApp, uploadingImports, type TestApp } from "../support/test-app.js";
import { createProductImporterClient } from "../../server/web/client.js";

const PASSWORD = "correct horse battery staple";
const REQUEST_TIMEOUT_MS = 1_000;
/** Far past the request timeout and the connection checks' granularity, far short of the trickles' own length. */
const CLOSED_WITHIN_MS = 8_000;

const loginTrickle = (app: TestApp) =>
  tricklingClient(
    app.url,
    "POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 200\r\n\r\npassword=",
    200,
  );

describe("requests that arrive too slowly", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ APP_PASSWORD: PASSWORD, REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS) }, { pages: true });
  });
  afterAll(async () => {
    await app?.stop();
  });

  it("are refused with 408 and their connections closed once the request timeout passes, whoever sends them", async () => {
    const bearer = `Authorization: Bearer ${PASSWORD}\r\n`;
    const trickles: TricklingClient[] = [
      // Nobody signed in: the login form is open to anyone, a byte every 200 ms (40 s for the whole form).
      ...(await Promise.all(Array.from({ length: 10 }, () => loginTrickle(app)))),
      // A tRPC call and a page's form, from someone who may use them.
      await tricklingClient(
        app.url,
        `POST /api/trpc/products.create HTTP/1.1\r\nHost: 127.0.0.1\r\n${bearer}Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{`,
        200,
        " ",
      ),
      // Headers that never end.
      await tricklingClient(app.url, "GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ", 200),
    ];
    const lasted = await Promise.all(trickles.map((client) => Promise.race([client.closed, sleep(CLOSED_WITHIN_MS).then(() => Infinity)])));
    for (const [i, client] of trickles.entries()) {
      expect(lasted[i], `trickle ${i} was closed (after ${client.trickled()} bytes)`).toBeLessThan(CLOSED_WITHIN_MS);
      expect(lasted[i], "not before its time").toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS * 0.9);
      expect(client.status(), client.answer()).toBe(408);
    }
    expect(trickles[0]!.answer()).toContain("The request had not arrived whole after 1 s");
    const health = await fetch(`${app.url}/healthz`);
    expect(health.status).toBe(200);
    trickles.forEach((client) => client.destroy());
  });

  it("leave alone requests that arrive in time, and answers that take long: a progress stream and a slowly read export", async () => {
    // ~40 MB of CSV, far more than the sockets of a client that has stopped reading can buffer, in
    // few rows of text that repeats itself: little work for the catalog's indexes.
    await sql`
      INSERT INTO products (sku, name, description)
      SELECT 'export-' || i, 'Product ' || i, repeat('A plain description. ', 1000)
      FROM generate_series(1, 2000) AS i`.execute(app.database.db);
    await sql`UPDATE catalog_counts SET products = 2000`.execute(app.database.db);
    const login = await fetch(`${app.url}/login?next=%2Fimports`, {
      method: "POST",
      body: new URLSearchParams({ password: PASSWORD }),
      redirect: "manual",
    });
    expect(login.status).toBe(302);
    expect(login.headers.get("set-cookie")).toBeTruthy();

    // An import held for review stays open, so its progress stream does not end of itself.
    const form = new FormData();
    form.append("review", "1");
    form.append("file", new Blob(["sku,name\nheld-1,Held\n"], { type: "text/csv" }), "held.csv");
    const upload = await fetch(`${app.url}/api/imports`, { method: "POST", body: form, headers: { Authorization: `Bearer ${PASSWORD}` } });
    expect(upload.status).toBe(202);
    const { id } = (await upload.json()) as { id: string };
    const api = createProductImporterClient(app.url, { token: PASSWORD });
    await waitUntil(
      "the import to be held for review",
      async () => ((await api.imports.get.query({ id })).status === "review" ? true : undefined),
      10_000,
    );
    const stream = await silentClient(
      app.url,
      `GET /api/imports/${id}/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${PASSWORD}\r\n\r\n`,
    );

    const exporting = await silentClient(
      app.url,
      `GET /api/products/export HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${PASSWORD}\r\n\r\n`,
    );

    // Three request timeouts pass: that both answers outlast them is what is under test.
    await sleep(REQUEST_TIMEOUT_MS * 3);
    expect(stream.status()).toBe(200);
    expect(stream.closed(), "the progress stream is still open").toBe(false);
    expect(exporting.status()).toBe(200);
    const rest = await exporting.readTheRest();
    expect(rest.endsWith("0\r\n\r\n"), "the export ran to its end").toBe(true);
    expect(rest).toContain("export-2000,Product 2000,");
    stream.destroy();
    exporting.destroy();
  });

  it("close a kept-alive connection that sits idle (Node's keep-alive timeout is on)", async () => {
    const socket = net.connect(Number(new URL(app.url).port), "127.0.0.1");
    socket.on("error", () => {});
    const closed = new Promise<number>((resolve) => socket.once("close", () => resolve(performance.now())));
    let answer = "";
    socket.on("data", (chunk: Buffer) => (answer += chunk.toString("latin1")));
    socket.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    await waitUntil("the health answer", async () => (answer.includes("\r\n\r\n") ? true : undefined), 5_000);
    const answeredAt = performance.now();
    expect(answer).toMatch(/^HTTP\/1\.1 200/);
    expect(answer.toLowerCase()).toContain("connection: keep-alive");
    const closedAt = await Promise.race([closed, sleep(15_000).then(() => Infinity)]);
    expect(closedAt - answeredAt, "the idle connection was closed").toBeLessThan(15_000);
    socket.destroy();
  });
});

const MIN_BYTES_PER_SECOND = 2_000;
const RATE_WINDOW_MS = 1_500;

/** The app's pooled connections sitting in an open transaction (an upload's COPY holds one). */
async function connectionsInTransaction(app: TestApp): Promise<number> {
  const { rows } = await sql<{ count: number }>`
    SELECT count(*)::int AS count FROM pg_stat_activity
    WHERE datname = current_database() AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%'`.execute(app.database.db);
  return rows[0]!.count;
}

describe("uploads", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({
      REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
      UPLOAD_MIN_BYTES_PER_SECOND: String(MIN_BYTES_PER_SECOND),
      UPLOAD_RATE_WINDOW_MS: String(RATE_WINDOW_MS),
      MAX_CONCURRENT_UPLOADS: "2",
    });
  });
  afterAll(async () => {
    await app?.stop();
  });

  it("trickling in below the minimum rate are stopped with the reason, their imports failed and their slots freed", async () => {
    const trickle = (name: string) =>
      tricklingClient(
        app.url,
        `POST /api/imports?filename=${name}.csv HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/csv\r\nContent-Length: 1000000\r\n\r\nsku,name\r\n${name}-1,First row\r\n`,
        // 10 bytes a second: never silent long enough for the idle timeout, far below the minimum rate.
        100,
        "x",
      );
    const trickles = [await trickle("trickle-a"), await trickle("trickle-b")];
    const uploading = await uploadingImports(app, 2);
    const blocked = await app.uploadCsv("sku,name\nwaiting-1,Turned away\n", "while-full.csv");
    expect(blocked.status, "every upload slot is held by a trickle").toBe(503);

    const lasted = await Promise.all(trickles.map((client) => Promise.race([client.closed, sleep(CLOSED_WITHIN_MS * 2).then(() => Infinity)])));
    for (const [i, client] of trickles.entries()) {
      expect(lasted[i], "the trickle was cut off").toBeLessThan(CLOSED_WITHIN_MS * 2);
      expect(lasted[i], "not before a whole window was measured").toBeGreaterThanOrEqual(RATE_WINDOW_MS);
      expect(client.status(), client.answer()).toBe(408);
      expect(client.answer()).toMatch(
        /The file arrived at \d+ B\/s over the last 1\.5 s, below the minimum of 2 KB\/s, so the upload was stopped and nothing was imported/,
      );
    }
    for (const item of uploading) {
      const failed = await app.waitForImport(item.id);
      expect(failed).toMatchObject({ status: "failed", error: expect.stringContaining("below the minimum of 2 KB/s") });
    }
    await waitUntil("their connections to be released", async () => ((await connectionsInTransaction(app)) === 0 ? true : undefined), 5_000);

    const after = await app.uploadCsv("sku,name\nafter-1,Accepted again\n", "after.csv");
    expect(after.status, "the slots are free again").toBe(202);
    expect((await app.waitForImport(after.body.id)).status).toBe("completed");
  });

  it("that keep up the minimum rate run past the request timeout and complete", async () => {
    // 30 rows of ~1 KB, one every 100 ms: ~10 KB/s for 3 s, three times the request timeout.
    const body = ["sku,name,description\n", ...Array.from({ length: 30 }, (_, i) => `steady-${i},Row ${i},${"Steady ".repeat(140)}\n`)];
    const startedAt = performance.now();
    const response = await uploadInPieces(app.url, "steady.csv", body, 100);
    expect(response.status, response.text).toBe(202);
    expect(performance.now() - startedAt, "the upload took longer than the request timeout").toBeGreaterThan(REQUEST_TIMEOUT_MS * 2);
    expect(await app.waitForImport(JSON.parse(response.text).id)).toMatchObject({ status: "completed", createdCount: 30 });
  });
});
