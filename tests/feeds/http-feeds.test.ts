import { gzipSync } from "node:zlib";
import { sql } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startFileServer, type FileServer } from "../support/file-server.js";
import { zipOf } from "../support/raw-workbook.js";
import { recordedEvents, refusalOf, startTestApp, type TestApp } from "../support/test-app.js";
import { waitUntil } from "../support/wait.js";
import { runFeedToEnd } from "../support/feed-events.js";

/**
 * Feeds over HTTP (issue "Feeds"): a supplier's web server on loopback (FEED_ALLOW_PRIVATE_NETWORKS
 * lets the app reach it), a run fetched conditionally, staged held in review, applied within the
 * guard or held with the reason, retried and failed with the event.
 */

let app: TestApp;
let source: FileServer;
beforeAll(async () => {
  source = await startFileServer();
  app = await startTestApp({ FEED_ALLOW_PRIVATE_NETWORKS: "1", FEED_TIMEOUT_MS: "800", FEED_RETRY_DELAYS: "0.2,0.4" });
});
afterAll(async () => {
  await app?.stop();
  await source?.close();
});
beforeEach(() => app.resetCatalog());

const csvOf = (count: number, name = (at: number) => `Product ${at}`, extra: string[] = []) =>
  ["sku,name,price", ...Array.from({ length: count }, (_, at) => `SKU-${at},${name(at)},${(10 + (at % 50)).toFixed(2)}`), ...extra].join("\n") + "\n";

let paths = 0;
/** A fresh path per test, so one test's answers and counts never meet another's. */
const freshPath = (name: string) => `/t${++paths}/${name}`;

async function createFeed(path: string, extra: Record<string, unknown> = {}) {
  return app.api.feeds.create.mutate({ name: `Supplier ${path}`, url: source.url(path), schedule: "0 6 * * *", ...extra } as never);
}

const runToEnd = (feedId: string) => runFeedToEnd(app.api, feedId);

describe("a feed over HTTP", () => {
  it("applies a changed file within the guard, then ends as unchanged on a 304 without an import", async () => {
    const path = freshPath("catalog.csv");
    source.serve(path, { body: csvOf(200), etag: '"v1"' });
    const feed = await createFeed(path);
    expect(feed).toMatchObject({
      enabled: true,
      headerNames: [],
      failing: false,
      lastRun: null,
      guard: { maxRemovedPercent: 5, maxRejectedPercent: 5 },
    });
    expect(new Date(feed.nextRunAt!).toISOString()).toMatch(/T06:00:00.000Z$/);

    const first = await runToEnd(feed.id);
    expect(first).toMatchObject({ status: "applied", reason: null, tries: 1 });
    expect(first.bytes).toBe(Buffer.byteLength(csvOf(200)));
    const imported = await app.api.imports.get.query({ id: first.importId! });
    expect(imported).toMatchObject({ status: "completed", createdCount: 200, feedId: feed.id, filename: "catalog.csv" });
    expect((await app.productsBySku()).length).toBe(200);

    const importsBefore = (await app.api.imports.list.query({})).total;
    const started = performance.now();
    const second = await runToEnd(feed.id);
    expect(second).toMatchObject({ status: "unchanged", importId: null, bytes: null });
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(source.requests(path).at(-1)!["if-none-match"]).toBe('"v1"');
    expect((await app.api.imports.list.query({})).total).toBe(importsBefore);

    const listed = await app.api.feeds.get.query({ id: feed.id });
    expect(listed.lastRun).toMatchObject({ id: second.id, status: "unchanged" });
    const { items, total } = await app.api.feeds.runs.query({ id: feed.id });
    expect(total).toBe(2);
    expect(items.map((item) => item.status)).toEqual(["unchanged", "applied"]);
  });

  it("holds a sync that would deactivate more of the catalog than the feed allows, with the reason and an import.held event", async () => {
    const path = freshPath("nightly.csv");
    source.serve(path, { body: csvOf(100), etag: '"a"' });
    const feed = await createFeed(path, { options: { mode: "sync" } });
    expect((await runToEnd(feed.id)).status).toBe("applied");

    // The supplier's next file lost a third of its rows.
    source.serve(path, { body: csvOf(69), etag: '"b"' });
    const held = await runToEnd(feed.id);
    expect(held.status).toBe("held");
    expect(held.reason).toBe("Held for a person: it would deactivate 31 products (31% of the catalog); this feed allows 5%.");
    const waiting = await app.api.imports.get.query({ id: held.importId! });
    expect(waiting).toMatchObject({ status: "review", feedId: feed.id });
    expect((await app.productsBySku()).length).toBe(100);
    expect((await app.api.feeds.get.query({ id: feed.id })).waitingImportId).toBe(held.importId);
    const event = (await recordedEvents(app)).filter((item) => item.type === "import.held").at(-1);
    expect(event?.data).toMatchObject({ id: held.importId, feedId: feed.id, status: "review", reason: held.reason });
    expect((await app.api.feeds.alerts.query({})).held.map((item) => item.id)).toContain(feed.id);

    // A person applies it as any review.
    await app.api.imports.apply.mutate({ id: held.importId!, confirmLargeSync: true });
    expect(await app.waitForImport(held.importId!)).toMatchObject({ status: "completed", removedCount: 31 });
    expect((await app.api.feeds.get.query({ id: feed.id })).waitingImportId).toBeNull();
    // The held file is the one the catalog has now: the next run asks with its ETag.
    expect((await runToEnd(feed.id)).status).toBe("unchanged");
  });

  it("holds a file with more rejected rows than allowed, and applies it once the limit allows it", async () => {
    const path = freshPath("rejects.csv");
    const broken = Array.from({ length: 10 }, (_, at) => `BAD-${at},Broken ${at},twelve euros`);
    source.serve(path, { body: csvOf(90, undefined, broken), etag: '"r1"' });
    const feed = await createFeed(path);
    const held = await runToEnd(feed.id);
    expect(held).toMatchObject({ status: "held" });
    expect(held.reason).toContain("would reject 10 rows of the file (10% of its rows); this feed allows 5%");
    await app.api.imports.discard.mutate({ id: held.importId! });

    // Discarded, the file is fetched again on the next run: with a higher limit it is applied.
    await app.api.feeds.update.mutate({ id: feed.id, guard: { maxRejectedPercent: 20 } });
    const applied = await runToEnd(feed.id);
    expect(applied).toMatchObject({ status: "applied" });
    expect(source.requests(path).at(-1)!["if-none-match"]).toBeUndefined();
    expect((await app.productsBySku()).length).toBe(90);
  });

  it("holds descriptions emptied and products changed past their limits, and leaves the catalog as it was", async () => {
    const path = freshPath("described.csv");
    const described = (count: number, description: (at: number) => string) =>
      ["sku,name,description", ...Array.from({ length: count }, (_, at) => `SKU-${at},Product ${at},${description(at)}`)].join("\n");
    source.serve(path, { body: described(50, (at) => `Fine cotton in style ${at}`), etag: '"d1"' });
    const feed = await createFeed(path, { guard: { maxUpdatedPercent: 50 } });
    expect((await runToEnd(feed.id)).status).toBe("applied");
    // The supplier's export lost its descriptions: every product changes, and 40 of 50 lose the text.
    source.serve(path, { body: described(50, (at) => (at < 40 ? "" : `Fine cotton in style ${at}!`)), etag: '"d2"' });
    const held = await runToEnd(feed.id);
    expect(held.status).toBe("held");
    expect(held.reason).toBe(
      "Held for a person: it would change 50 products (100% of the catalog); this feed allows 50%; and would empty the descriptions, barcodes or images of 40 products (80% of the catalog); this feed allows 5%.",
    );
    // Rolled back: every description is as it was, and the import waits with its reason.
    const { rows } = await sql<{ emptied: string }>`SELECT count(*) AS emptied FROM products WHERE description = ''`.execute(app.database.db);
    expect(Number(rows[0]!.emptied)).toBe(0);
    expect(await app.api.imports.get.query({ id: held.importId! })).toMatchObject({ status: "review", heldReason: held.reason });
    // Its review is there for the person, as for any import in review.
    const review = await app.api.imports.review.query({ id: held.importId! });
    expect(review).toMatchObject({ updated: 50, descriptionsEmptied: 40 });
  });

  it("holds prices cut by more than half past its limit", async () => {
    const path = freshPath("prices.csv");
    source.serve(path, { body: csvOf(40), etag: '"p1"' });
    const feed = await createFeed(path);
    expect((await runToEnd(feed.id)).status).toBe("applied");
    source.serve(path, {
      body: [
        "sku,name,price",
        ...Array.from({ length: 40 }, (_, at) => `SKU-${at},Product ${at},${at < 10 ? "0.10" : (10 + (at % 50)).toFixed(2)}`),
      ].join("\n"),
      etag: '"p2"',
    });
    const held = await runToEnd(feed.id);
    expect(held.status).toBe("held");
    expect(held.reason).toContain("would cut 10 prices by more than half (25% of the catalog); this feed allows 5%");
  });

  it("reads a gzip file, a gzip Content-Encoding and a zip holding one CSV", async () => {
    const gz = freshPath("catalog.csv.gz");
    source.serve(gz, { body: gzipSync(csvOf(30)), contentType: "application/gzip" });
    expect(await runToEnd((await createFeed(gz)).id)).toMatchObject({ status: "applied" });
    const encoded = freshPath("encoded.csv");
    source.serve(encoded, { body: gzipSync(csvOf(31)), contentEncoding: "gzip" });
    expect(await runToEnd((await createFeed(encoded)).id)).toMatchObject({ status: "applied" });
    const zip = freshPath("catalog.zip");
    source.serve(zip, { body: await zipOf({ "catalog.csv": csvOf(32) }), contentType: "application/zip" });
    const zipped = await runToEnd((await createFeed(zip)).id);
    expect(zipped).toMatchObject({ status: "applied" });
    expect(await app.api.imports.get.query({ id: zipped.importId! })).toMatchObject({ totalRows: 32, filename: "catalog.zip" });
    expect((await app.productsBySku()).length).toBe(32);
  });
});

describe("a failing source", () => {
  it("is tried three times, then the run fails with the reason and a feed.failed event; three failed runs need attention", async () => {
    const path = freshPath("down.csv");
    source.serve(path, (_req, res) => res.writeHead(503, "Service Unavailable").end("down for maintenance"));
    const feed = await createFeed(path);
    const failed = await runToEnd(feed.id);
    expect(failed.status).toBe("failed");
    expect(failed.tries).toBe(3);
    expect(failed.reason).toMatch(/^The source answered HTTP 503 Service Unavailable \(3 tries over [\d.]+ s\)\.$/);
    expect(source.requests(path)).toHaveLength(3);
    const event = (await recordedEvents(app)).filter((item) => item.type === "feed.failed").at(-1);
    expect(event?.data).toEqual({ feedId: feed.id, name: feed.name, url: feed.url, runId: failed.id, reason: failed.reason });
    expect((await app.api.feeds.get.query({ id: feed.id })).failing).toBe(false);

    await runToEnd(feed.id);
    await runToEnd(feed.id);
    expect((await app.api.feeds.get.query({ id: feed.id })).failing).toBe(true);
    expect((await app.api.feeds.alerts.query({})).failing.map((item) => item.id)).toContain(feed.id);
    // One good run clears it.
    source.serve(path, { body: csvOf(5) });
    expect((await runToEnd(feed.id)).status).toBe("applied");
    expect((await app.api.feeds.get.query({ id: feed.id })).failing).toBe(false);
  });

  it("that stalls mid-file, answers HTML, or sends a cut-off gzip or a zip of two files fails with words for each", async () => {
    const stall = freshPath("stall.csv");
    source.serve(stall, (_req, res) => {
      res.writeHead(200, { "Content-Type": "text/csv" });
      res.write("sku,name\nA,Alpha\n");
    });
    expect((await runToEnd((await createFeed(stall)).id)).reason).toMatch(/^The source stopped sending: nothing arrived for 0.8 s \(3 tries/);

    const html = freshPath("login");
    source.serve(html, { body: "<!DOCTYPE html><html><body>Please log in</body></html>", contentType: "text/html; charset=utf-8" });
    expect((await runToEnd((await createFeed(html)).id)).reason).toMatch(/^The source answered with a web page \(text\/html\), not a file/);
    const disguised = freshPath("export.csv");
    source.serve(disguised, { body: "\n<html><body>Session expired</body></html>", contentType: "text/csv" });
    expect((await runToEnd((await createFeed(disguised)).id)).reason).toMatch(/^The source answered with a web page \(HTML\), not a file/);

    const cut = freshPath("cut.csv.gz");
    const gz = gzipSync(csvOf(2_000));
    source.serve(cut, { body: gz.subarray(0, gz.length - 200), contentType: "application/gzip" });
    const cutRun = await runToEnd((await createFeed(cut)).id);
    expect(cutRun.status).toBe("failed");
    expect(cutRun.reason).toMatch(/gzip/i);
    expect((await app.api.imports.get.query({ id: cutRun.importId! })).status).toBe("failed");

    const two = freshPath("two.zip");
    source.serve(two, { body: await zipOf({ "a.csv": csvOf(3), "b.csv": csvOf(3) }), contentType: "application/zip" });
    expect((await runToEnd((await createFeed(two)).id)).reason).toMatch(/two files|more than one/i);
    expect((await app.productsBySku()).length).toBe(0);
  });
});

describe("one run at a time", () => {
  it("refuses a second run of a feed that is running, naming it", async () => {
    const path = freshPath("slow.csv");
    source.serve(path, (_req, res) => {
      res.writeHead(200, { "Content-Type": "text/csv" });
      res.write("sku,name\n");
      setTimeout(() => res.end("A,Alpha\n"), 500);
    });
    const feed = await createFeed(path);
    const run = await app.api.feeds.run.mutate({ id: feed.id });
    const second = await refusalOf(app, "feeds.run", { id: feed.id });
    expect(second.code).toBe("CONFLICT");
    expect(second.message).toContain(`is running already (run ${run.id}`);
    await waitUntil("the run to end", async () => (await app.api.feeds.get.query({ id: feed.id })).lastRun?.status === "applied", 20_000);
  });
});

describe("bad feeds", () => {
  const base = { name: "Bad", url: "https://supplier.example.com/catalog.csv", schedule: "@daily" };

  it.each([
    [{ schedule: "0 6 * *" }, "schedule", 'Schedule: "0 6 * *" has 4 fields'],
    [{ schedule: "61 * * * *" }, "schedule", 'Schedule: "61 * * * *" cannot be read'],
    [{ schedule: "@sometimes" }, "schedule", '"@sometimes" is not a schedule this app knows'],
    [{ url: "ftp://supplier.example.com/catalog.csv" }, "url", "ftp:// is not a source this app fetches"],
    [{ url: "sftp://files.example.com/out/catalog.csv" }, "username", "an sftp:// source needs the user name"],
    [{ url: "sftp://files.example.com/out/catalog.csv", username: "acme" }, "password", "needs a password or a private key"],
    [{ url: "sftp://files.example.com/", username: "acme", password: "x" }, "url", "names the file's path"],
    [{ url: "sftp://files.example.com/a.csv", username: "acme", privateKey: "not a key" }, "privateKey", "Private key cannot be read"],
    [{ options: { mode: "merge" } }, "options.mode", "options: mode must be one of"],
    [{ options: { mapping: { price: "Cost", colour: "Color" } } }, "options.mapping", '"colour" is not a field'],
    [{ guard: { maxRemovedPercent: 150 } }, "guard", "guard.maxRemovedPercent must be between 0 and 100"],
    [{ guard: { maxDeleted: 3 } }, "guard", "maxDeleted is not a limit"],
  ])("%j is refused, naming %s", async (change, _field, message) => {
    const refusal = await refusalOf(app, "feeds.create", { ...base, ...change });
    expect(refusal.code).toBe("BAD_REQUEST");
    expect(refusal.message).toContain(message);
  });

  it("keeps credentials written into the URL out of it, and never gives secrets back", async () => {
    const feed = await app.api.feeds.create.mutate({
      ...base,
      url: "https://acme:s3cret@supplier.example.com/catalog.csv",
      headers: { "X-Api-Key": "abc123" },
    } as never);
    expect(feed).toMatchObject({ url: "https://supplier.example.com/catalog.csv", username: "acme", hasPassword: true, headerNames: ["X-Api-Key"] });
    expect(JSON.stringify(await app.api.feeds.list.query({}))).not.toMatch(/s3cret|abc123/);
  });
});
