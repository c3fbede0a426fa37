import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProductImporterClient } from "../../server/web/client.js";
import { IMPORT_QUEUE } from "../../server/imports/import-queue.js";
import { WEBHOOK_QUEUE } from "../../server/webhooks/delivery-queue.js";
import { startTestApp, type TestApp } from "../support/test-app.js";
import { startReceiver, type Receiver } from "../support/receiver.js";
import { readScrape, total, type Scrape } from "../support/metrics-text.js";
import { waitUntil } from "../support/wait.js";
import { rawRequest } from "../support/raw-http.js";
import { holdCatalogLock } from "../support/catalog-lock.js";

const PASSWORD = "metrics test password";
const METRICS_TOKEN = "scraper-token-0123456789";

let app: TestApp;
let admin: ReturnType<typeof createProductImporterClient>;
let fine: Receiver;
let broken: Receiver;
beforeAll(async () => {
  app = await startTestApp({ APP_PASSWORD: PASSWORD, METRICS_TOKEN, WEBHOOK_ALLOW_PRIVATE_NETWORKS: "1", WEBHOOK_RETRY_DELAYS: "60,120" });
  admin = createProductImporterClient(app.url, { token: PASSWORD });
  // Slow enough, one at a time, that a burst of deliveries is seen waiting in the queue.
  fine = await startReceiver(() => ({ status: 200, delayMs: 40 }));
  broken = await startReceiver(() => ({ status: 503 }));
});
afterAll(async () => {
  await app?.stop();
  await fine?.close();
  await broken?.close();
});

const scrapeWith = (authorization?: string) => fetch(`${app.url}/metrics`, { headers: authorization ? { Authorization: authorization } : {} });
async function scrape(): Promise<Scrape> {
  const response = await scrapeWith(`Bearer ${METRICS_TOKEN}`);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/plain;.*version=0\.0\.4/);
  return readScrape(await response.text());
}

const csvOf = (rows: number, prefix: string) =>
  ["sku,name,description,active", ...Array.from({ length: rows }, (_, i) => `${prefix}-${i},Item ${i},Described,true`)].join("\n");

async function upload(csv: string, query = "") {
  const response = await fetch(`${app.url}/api/imports?filename=metrics.csv${query}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${PASSWORD}`, "Content-Type": "text/csv" },
    body: csv,
  });
  expect(response.status).toBe(202);
  return ((await response.json()) as { id: string }).id;
}

const importStatus = async (id: string) => (await admin.imports.get.query({ id })).status;

describe("GET /metrics", () => {
  it("is refused without a credential when the app has a password, and takes the METRICS_TOKEN, the password or an API token", async () => {
    const refused = await scrapeWith();
    expect(refused.status).toBe(401);
    expect(refused.headers.get("www-authenticate")).toContain("Bearer");
    expect(await refused.text()).toContain("METRICS_TOKEN");
    expect((await scrapeWith("Bearer not-the-metrics-token-at-all")).status).toBe(401);

    expect((await scrapeWith(`Bearer ${METRICS_TOKEN}`)).status).toBe(200);
    expect((await scrapeWith(`Bearer ${PASSWORD}`)).status).toBe(200);
    const reader = await admin.apiTokens.create.mutate({ name: "prometheus", scope: "read" });
    expect((await scrapeWith(`Bearer ${reader.token}`)).status).toBe(200);
    await admin.apiTokens.revoke.mutate({ id: reader.id });
    expect((await scrapeWith(`Bearer ${reader.token}`)).status).toBe(401);

    // The scraper's token opens /metrics and nothing else.
    const api = await fetch(`${app.url}/api/trpc/products.list`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(api.status).toBe(401);
  });

  it("holds every figure the contract names, with prom-client's process metrics", async () => {
    const figures = await scrape();
    for (const name of [
      "product_importer_imports_total",
      "product_importer_rows_staged_total",
      "product_importer_rows_merged_total",
      "product_importer_webhook_deliveries_total",
    ]) {
      expect(figures.type(name), name).toBe("counter");
    }
    for (const name of [
      "product_importer_webhook_delivery_seconds",
      "product_importer_http_request_duration_seconds",
      "product_importer_import_phase_seconds",
    ]) {
      expect(figures.type(name), name).toBe("histogram");
    }
    for (const queue of [IMPORT_QUEUE, WEBHOOK_QUEUE]) expect(figures.value("product_importer_queue_depth", { queue })).toBeGreaterThanOrEqual(0);
    for (const state of ["total", "idle", "waiting"])
      expect(figures.value("product_importer_db_pool_connections", { state })).toBeGreaterThanOrEqual(0);
    expect(figures.value("product_importer_db_pool_connections", { state: "total" })).toBeGreaterThan(0);
    expect(figures.value("product_importer_database_up")).toBe(1);
    expect(figures.value("product_importer_imports", { status: "review" })).toBe(0);
    expect(figures.value("product_importer_webhook_endpoints_disabled")).toBe(0);
    expect(figures.type("process_cpu_user_seconds_total")).toBe("counter");
    expect(figures.value("nodejs_heap_size_used_bytes")).toBeGreaterThan(0);
  });

  it("moves with an import: its statuses, the rows staged and merged, each phase's time, and the upload's request", async () => {
    const before = await scrape();
    const rows = 20_000;
    const id = await upload(csvOf(rows, "metric"), "&review=1");
    await waitUntil("the import to wait in review", async () => (await importStatus(id)) === "review", 30_000);

    // Waiting for a person: a figure that lives in Postgres.
    const held = await scrape();
    expect(held.value("product_importer_imports", { status: "review" })).toBe(1);
    expect(total(held, "product_importer_rows_staged_total")).toBe(total(before, "product_importer_rows_staged_total") + rows);
    expect(held.value("product_importer_imports_total", { status: "review" })).toBe(
      (before.value("product_importer_imports_total", { status: "review" }) ?? 0) + 1,
    );
    const staging = (scrape: Scrape) => scrape.value("product_importer_import_phase_seconds_count", { phase: "staging" }) ?? 0;
    expect(staging(held)).toBe(staging(before) + 1);

    await admin.imports.review.query({ id });
    // Another writer holds the catalog: applied, the import waits its turn in the queue.
    const lock = await holdCatalogLock(app.database.connectionString);
    try {
      await admin.imports.apply.mutate({ id });
      const queued = await scrape();
      expect(queued.value("product_importer_imports", { status: "queued" })).toBe(1);
      expect(queued.value("product_importer_imports", { status: "review" })).toBe(0);
    } finally {
      await lock.release();
    }
    await waitUntil("the import to complete", async () => (await importStatus(id)) === "completed", 60_000);

    const after = await scrape();
    expect(after.value("product_importer_imports", { status: "review" })).toBe(0);
    expect(after.value("product_importer_imports_total", { status: "completed" })).toBe(
      (before.value("product_importer_imports_total", { status: "completed" }) ?? 0) + 1,
    );
    expect(total(after, "product_importer_rows_merged_total")).toBe(total(before, "product_importer_rows_merged_total") + rows);
    const phase = (scrape: Scrape, name: string) => scrape.value("product_importer_import_phase_seconds_count", { phase: name }) ?? 0;
    for (const name of ["review", "waiting", "merge"]) expect(phase(after, name), name).toBeGreaterThan(phase(before, name));
    expect(after.value("product_importer_import_phase_seconds_sum", { phase: "merge" })).toBeGreaterThan(0);

    const uploads = (scrape: Scrape) =>
      scrape.value("product_importer_http_request_duration_seconds_count", { method: "POST", route: "/api/imports", status: "202" }) ?? 0;
    expect(uploads(after)).toBe(uploads(before) + 1);
    const gets = (scrape: Scrape) =>
      scrape.value("product_importer_http_request_duration_seconds_count", { method: "GET", route: "/api/trpc/imports.get", status: "200" }) ?? 0;
    expect(gets(after)).toBeGreaterThan(gets(before));
  });

  it("moves with a burst of webhook deliveries: the queue fills and drains, deliveries counted by outcome with their time, endpoints switched off", async () => {
    const good = await admin.webhooks.create.mutate({ url: fine.url, events: ["product.created"], maxInFlight: 1 });
    const bad = await admin.webhooks.create.mutate({ url: broken.url, events: ["product.created"] });
    const before = await scrape();
    const burst = 40;
    for (let i = 0; i < burst; i++) await admin.products.create.mutate({ sku: `burst-${i}`, name: `Burst ${i}` });

    const waiting = await waitUntil(
      "the burst's deliveries in the webhook queue",
      async () => {
        const figures = await scrape();
        const inQueue =
          (figures.value("product_importer_queue_depth", { queue: WEBHOOK_QUEUE }) ?? 0) +
          (figures.value("product_importer_queue_active", { queue: WEBHOOK_QUEUE }) ?? 0);
        return inQueue > 0 && inQueue;
      },
      10_000,
      20,
    );
    expect(waiting).toBeGreaterThan(0);
    await fine.waitFor(burst, 30_000);

    const after = await waitUntil(
      "every delivery counted",
      async () => {
        const figures = await scrape();
        const delivered =
          (figures.value("product_importer_webhook_deliveries_total", { outcome: "delivered" }) ?? 0) -
          (before.value("product_importer_webhook_deliveries_total", { outcome: "delivered" }) ?? 0);
        const retrying =
          (figures.value("product_importer_webhook_deliveries_total", { outcome: "retrying" }) ?? 0) -
          (before.value("product_importer_webhook_deliveries_total", { outcome: "retrying" }) ?? 0);
        return delivered === burst && retrying === burst && figures;
      },
      30_000,
      100,
    );
    const timed = (scrape: Scrape) => scrape.value("product_importer_webhook_delivery_seconds_count") ?? 0;
    expect(timed(after) - timed(before)).toBe(2 * burst);
    // The good receiver takes 40 ms an answer: the latency histogram's sum shows it.
    const seconds = (scrape: Scrape) => scrape.value("product_importer_webhook_delivery_seconds_sum") ?? 0;
    expect(seconds(after) - seconds(before)).toBeGreaterThanOrEqual(burst * 0.04 * 0.9);
    // Retries are put off a minute: they wait in the queue, none due yet.
    expect(after.value("product_importer_queue_depth", { queue: WEBHOOK_QUEUE })).toBeGreaterThanOrEqual(burst);

    await admin.webhooks.update.mutate({ id: bad.id, enabled: false });
    expect((await scrape()).value("product_importer_webhook_endpoints_disabled")).toBe(1);
    await admin.webhooks.delete.mutate({ id: bad.id });
    await admin.webhooks.delete.mutate({ id: good.id });
  });

  it("labels requests by their route's pattern, and whatever matches no route as one `unmatched` series", async () => {
    const probe = `/wp-admin-${Date.now()}.php`;
    expect((await fetch(`${app.url}${probe}`, { headers: { Authorization: `Bearer ${PASSWORD}` } })).status).toBe(404);
    await fetch(`${app.url}/api/trpc/no.such.procedure`, { headers: { Authorization: `Bearer ${PASSWORD}` } });
    const figures = await scrape();
    expect(figures.text).not.toContain(probe);
    expect(figures.text).not.toContain("no.such.procedure");
    const routes = new Set(figures.samples("product_importer_http_request_duration_seconds_count").map((sample) => sample.labels.route));
    expect(routes).toContain("unmatched");
    expect(routes).toContain("/metrics");
    expect([...routes].every((route) => route === "unmatched" || route!.startsWith("/"))).toBe(true);
  });
});

describe("GET /metrics when the database cannot answer", () => {
  it("still answers within a few seconds, with the process's figures, the pool's queue, and database_up 0", async () => {
    const busy = await startTestApp({ DATABASE_POOL_SIZE: "4" });
    // Every connection of the app's pool taken, as by four long uploads.
    const held = await Promise.all(Array.from({ length: 4 }, () => busy.database.pool.connect()));
    try {
      const started = Date.now();
      const response = await fetch(`${busy.url}/metrics`);
      expect(response.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(5_000);
      const figures = readScrape(await response.text());
      expect(figures.value("product_importer_database_up")).toBe(0);
      expect(figures.value("product_importer_queue_depth", { queue: IMPORT_QUEUE })).toBeUndefined();
      expect(figures.value("product_importer_db_pool_connections", { state: "idle" })).toBe(0);
      expect(figures.value("product_importer_db_pool_connections", { state: "total" })).toBe(4);
      // The scrape's own read, still waiting for a connection.
      expect(figures.value("product_importer_db_pool_connections", { state: "waiting" })).toBeGreaterThanOrEqual(1);
      expect(figures.type("product_importer_rows_staged_total")).toBe("counter");
    } finally {
      for (const client of held) client.release();
      await busy.stop();
    }
  });
});

describe("GET /metrics on an app without a password", () => {
  let open: TestApp;
  beforeAll(async () => {
    open = await startTestApp();
  });
  afterAll(() => open?.stop());

  it("is open like the rest of the app, and refuses another host name (DNS rebinding)", async () => {
    const response = await fetch(`${open.url}/metrics`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("product_importer_rows_staged_total");
    const rebound = await rawRequest(open.url, "/metrics", { headers: { Host: "attacker.example" } });
    expect(rebound.status).toBe(403);
  });
});
