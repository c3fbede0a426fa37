import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSftpServer, type SftpServer } from "../support/sftp-server.js";
import { startTestApp, type TestApp } from "../support/test-app.js";
import { runFeedToEnd } from "../support/feed-events.js";

/**
 * Feeds over SFTP (issue "Feeds"): an SFTP server of the test's own on loopback, logged into with a
 * password or a key; the same size and modification time as the file the catalog has ends the run
 * as unchanged without downloading it.
 */

let app: TestApp;
let sftp: SftpServer;
beforeAll(async () => {
  sftp = await startSftpServer();
  app = await startTestApp({ FEED_ALLOW_PRIVATE_NETWORKS: "1", FEED_TIMEOUT_MS: "2000", FEED_RETRY_DELAYS: "0.2,0.2" });
});
afterAll(async () => {
  await app?.stop();
  await sftp?.close();
});
beforeEach(() => app.resetCatalog());

const csvOf = (count: number, suffix = "") =>
  ["sku,name,stock", ...Array.from({ length: count }, (_, at) => `SKU-${at},Product ${at}${suffix},${at % 7}`)].join("\n") + "\n";

const runToEnd = (feedId: string) => runFeedToEnd(app.api, feedId);

const sftpUrl = (path: string) => `sftp://${sftp.host}:${sftp.port}${path}`;

describe("a feed over SFTP", () => {
  it("logs in with a password, applies the file, and skips the download while its size and time stay the same", async () => {
    sftp.put("/out/catalog.csv", csvOf(150), new Date("2026-12-01T02:00:00Z"));
    const feed = await app.api.feeds.create.mutate({
      name: "Northwind SFTP",
      url: sftpUrl("/out/catalog.csv"),
      username: sftp.username,
      password: sftp.password,
      schedule: "@daily",
    });
    expect(feed).toMatchObject({ username: sftp.username, hasPassword: true, hasPrivateKey: false });

    const first = await runToEnd(feed.id);
    expect(first).toMatchObject({ status: "applied", bytes: Buffer.byteLength(csvOf(150)) });
    expect(await app.api.imports.get.query({ id: first.importId! })).toMatchObject({ createdCount: 150, feedId: feed.id, filename: "catalog.csv" });
    expect(sftp.opens("/out/catalog.csv")).toBe(1);

    const second = await runToEnd(feed.id);
    expect(second).toMatchObject({ status: "unchanged", importId: null });
    expect(sftp.opens("/out/catalog.csv")).toBe(1);

    // A new file of the same name (another time) is fetched and applied.
    sftp.put("/out/catalog.csv", csvOf(150, " v2"), new Date("2026-12-02T02:00:00Z"));
    const third = await runToEnd(feed.id);
    expect(third.status).toBe("applied");
    expect(await app.api.imports.get.query({ id: third.importId! })).toMatchObject({ updatedCount: 150 });
    expect((await app.productsBySku())[0]!.name).toBe("Product 0 v2");
  });

  it("logs in with a private key and reads a gzip file", async () => {
    sftp.put("/out/catalog.csv.gz", gzipSync(csvOf(80)));
    const feed = await app.api.feeds.create.mutate({
      name: "Key login",
      url: sftpUrl("/out/catalog.csv.gz"),
      username: sftp.username,
      privateKey: sftp.privateKey,
      schedule: "@hourly",
    });
    expect(feed.hasPrivateKey).toBe(true);
    expect(JSON.stringify(feed)).not.toContain("PRIVATE KEY");
    expect(await runToEnd(feed.id)).toMatchObject({ status: "applied" });
    expect((await app.productsBySku()).length).toBe(80);
  });

  it("fails with the reason when the login is refused or the file is missing", async () => {
    const wrong = await app.api.feeds.create.mutate({
      name: "Wrong password",
      url: sftpUrl("/out/catalog.csv"),
      username: sftp.username,
      password: "not-the-password",
      schedule: "@daily",
    });
    const refused = await runToEnd(wrong.id);
    expect(refused).toMatchObject({ status: "failed", tries: 3 });
    expect(refused.reason).toMatch(/^The SFTP server 127\.0\.0\.1:\d+ could not be reached or refused the login/);

    const missing = await app.api.feeds.create.mutate({
      name: "Missing file",
      url: sftpUrl("/out/nothing-here.csv"),
      username: sftp.username,
      password: sftp.password,
      schedule: "@daily",
    });
    expect((await runToEnd(missing.id)).reason).toMatch(/^\/out\/nothing-here\.csv could not be read on 127\.0\.0\.1:\d+/);
  });
});
