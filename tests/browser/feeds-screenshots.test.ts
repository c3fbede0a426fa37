import path from "node:path";
import { afterAll, beforeAll, it } from "vitest";
import type { Browser } from "playwright-core";
import { apiClient } from "../support/api-client.js";
import { startAppProcess, type AppProcess } from "../support/app-process.js";
import { launchBrowser } from "../support/browser.js";
import { startFileServer, type FileServer } from "../support/file-server.js";
import { createTestDatabase } from "../support/test-database.js";
import { waitUntil } from "../support/wait.js";

/**
 * The README's pictures of feeds (`UPDATE_SCREENSHOTS=1`): a feed's page with its runs (applied,
 * unchanged, held with the reason, failed), and the feed form with its columns read from the
 * source. The supplier's server is on loopback, the only address a test may reach.
 */
const photographing = process.env.UPDATE_SCREENSHOTS === "1";
const image = (name: string) => path.resolve(import.meta.dirname, "../../docs/images", name);

let server: AppProcess;
let source: FileServer;
let browser: Browser;
let feedId: string;

const catalog = (count: number) =>
  [
    "sku,name,price,stock",
    ...Array.from({ length: count }, (_, at) => `NW-${1000 + at},Northwind article ${at},${(9.5 + at).toFixed(2)},${at % 40}`),
  ].join("\n");

beforeAll(async () => {
  if (!photographing) return;
  source = await startFileServer();
  server = await startAppProcess({
    DATABASE_URL: await createTestDatabase(),
    FEED_ALLOW_PRIVATE_NETWORKS: "1",
    FEED_RETRY_DELAYS: "0.2,0.2",
    CURRENCY: "EUR",
  });
  const { api } = apiClient(server.url);
  const feed = await api.feeds.create.mutate({
    name: "Northwind nightly",
    url: source.url("/exports/catalog.csv.gz"),
    schedule: "0 6 * * *",
    options: { mode: "sync" },
  });
  feedId = feed.id;
  const run = async () => {
    await api.feeds.run.mutate({ id: feed.id });
    await waitUntil("the run to end", async () => (await api.feeds.get.query({ id: feed.id })).lastRun?.status !== "running", 30_000);
  };
  const { gzipSync } = await import("node:zlib");
  source.serve("/exports/catalog.csv.gz", { body: gzipSync(catalog(2_400)), etag: '"a"', contentType: "application/gzip" });
  await run();
  await run();
  source.serve("/exports/catalog.csv.gz", (_req, res) => res.writeHead(503, "Service Unavailable").end());
  await run();
  source.serve("/exports/catalog.csv.gz", { body: gzipSync(catalog(1_700)), etag: '"b"', contentType: "application/gzip" });
  await run();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await source?.close();
});

it.runIf(photographing)("photographs a feed's page with its runs (docs/images/feed-runs.png)", async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${server.url}/feeds/${feedId}`);
  await page.waitForLoadState("networkidle");
  await page.screenshot({ path: image("feed-runs.png") });
  await page.close();
});

it.runIf(photographing)("photographs the feed form with the columns read from the source (docs/images/feed-form.png)", async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1500 } });
  await page.goto(`${server.url}/feeds/${feedId}/edit`);
  await page.getByRole("button", { name: "Read the columns from the source" }).click();
  await page.locator(".preview").waitFor();
  await page.screenshot({ path: image("feed-form.png") });
  await page.close();
});
