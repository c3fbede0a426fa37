/**
 * `npm run bench:webhooks`: (1) a burst of 1,000 events to a loopback receiver that answers in
 * 50 ms: time until all are delivered, and products.list p95 during the burst against idle, in the
 * same run; (2) a receiver that is down for a minute: every event arrives once it is back, none
 * lost, none under two different ids. Median of RUNS for (1).
 */
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { ensureDatabase, startEmbeddedPostgres } from "../db/embedded.js";
import { startAppProcess, type AppProcess } from "../tests/support/app-process.js";
import { startReceiver } from "../tests/support/receiver.js";
import { waitForSearchIndexes } from "./search-ready.js";
import { WORK_DIR, median, percentile, apiOf } from "./support.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const BURST = Number(process.env.BENCH_EVENTS ?? 1_000);
const OUTAGE_EVENTS = 200;
const OUTAGE_MS = Number(process.env.BENCH_OUTAGE_MS ?? 60_000);

/** products.list latencies, one call every 50 ms, until `until` resolves. */
async function probeList(app: AppProcess, until: Promise<unknown>): Promise<number[]> {
  const latencies: number[] = [];
  let done = false;
  void until.finally(() => (done = true));
  while (!done) {
    const started = performance.now();
    await apiOf(app.url).products.list.query({ name: "item" });
    latencies.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return latencies;
}

async function createProducts(app: AppProcess, prefix: string, count: number) {
  const queue = Array.from({ length: count }, (_, i) => i);
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      for (let i = queue.shift(); i !== undefined; i = queue.shift())
        await apiOf(app.url).products.create.mutate({ sku: `${prefix}-${i}`, name: `Item ${i}` });
    }),
  );
}

/** A catalog to list while the events go out: 20,000 imported products. */
async function seedCatalog(app: AppProcess, databaseUrl: string) {
  const csv = `sku,name,description\n${Array.from({ length: 20_000 }, (_, i) => `seed-${i},Item ${i},Seeded product ${i}`).join("\n")}\n`;
  const response = await fetch(`${app.url}/api/imports?filename=seed.csv`, { method: "POST", headers: { "Content-Type": "text/csv" }, body: csv });
  const { id } = (await response.json()) as { id: string };
  while ((await apiOf(app.url).imports.get.query({ id })).status !== "completed") await new Promise((resolve) => setTimeout(resolve, 100));
  await waitForSearchIndexes(databaseUrl);
}

async function recordBurst(databaseUrl: string, prefix: string) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(
    `INSERT INTO events (type, data)
     SELECT 'product.created', jsonb_build_object('id', n::text, 'sku', $1 || '-' || n, 'name', 'Item ' || n, 'description', '', 'active', true)
     FROM generate_series(1, $2::int) AS n`,
    [prefix, BURST],
  );
  await client.end();
}

async function burst(app: AppProcess, databaseUrl: string, run: number) {
  const receiver = await startReceiver(() => ({ status: 200, delayMs: 50 }));
  const webhook = await apiOf(app.url).webhooks.create.mutate({ url: receiver.url, events: ["product.created"] });
  const idle = await probeList(app, new Promise((resolve) => setTimeout(resolve, 3_000)));
  // The burst is recorded in one transaction, as if by a flurry of changes elsewhere, so the
  // latency compared is the delivery's own cost, not that of making 1,000 changes.
  const started = performance.now();
  await recordBurst(databaseUrl, `burst${run}`);
  const createdMs = performance.now() - started;
  const delivered = receiver.waitFor(BURST, 120_000);
  const during = await probeList(app, delivered);
  await delivered;
  const allMs = performance.now() - started;
  await apiOf(app.url).webhooks.delete.mutate({ id: webhook.id });
  await receiver.close();
  return { createdMs, allMs, idleP95: percentile(idle, 95), duringP95: percentile(during, 95) };
}

async function outage(app: AppProcess) {
  const probe = await startReceiver();
  const port = probe.port;
  await probe.close();
  // Registered while nothing listens on the port: every first attempt is refused.
  const webhook = await apiOf(app.url).webhooks.create.mutate({ url: `http://127.0.0.1:${port}/hooks`, events: ["product.created"] });
  const started = performance.now();
  await createProducts(app, "outage", OUTAGE_EVENTS);
  await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS - (performance.now() - started)));
  const receiver = await startReceiver(() => ({ status: 204 }), { port });
  const backAt = performance.now();
  await receiver.waitFor(OUTAGE_EVENTS, 10 * 60_000);
  const deliveredAfterBackMs = performance.now() - backAt;
  await new Promise((resolve) => setTimeout(resolve, 5_000));
  const idsBySku = new Map<string, Set<string>>();
  for (const request of receiver.received) {
    const sku = JSON.parse(request.body).data.sku as string;
    idsBySku.set(sku, (idsBySku.get(sku) ?? new Set()).add(String(request.headers["webhook-id"])));
  }
  const deliveries = (await apiOf(app.url).webhooks.deliveries.query({ id: webhook.id, pageSize: 200 })).total;
  await receiver.close();
  return {
    distinctDelivered: idsBySku.size,
    requests: receiver.received.length,
    skusWithTwoIds: [...idsBySku.values()].filter((ids) => ids.size > 1).length,
    deliveredAfterBackMs,
    attemptsLogged: deliveries,
  };
}

async function main() {
  mkdirSync(WORK_DIR, { recursive: true });
  const clusterDir = path.join(WORK_DIR, "postgres-webhooks");
  rmSync(clusterDir, { recursive: true, force: true });
  const cluster = await startEmbeddedPostgres({ dataDir: clusterDir, persistent: false });
  try {
    const results = [];
    for (let run = 1; run <= RUNS; run += 1) {
      const database = `webhooks_${run}_${Date.now()}`;
      await ensureDatabase(cluster.adminUrl, database);
      const app = await startAppProcess({ DATABASE_URL: cluster.urlFor(database), WEBHOOK_ALLOW_PRIVATE_NETWORKS: "1" });
      try {
        await seedCatalog(app, cluster.urlFor(database));
        const result = await burst(app, cluster.urlFor(database), run);
        results.push(result);
        console.log(
          `run ${run}: ${BURST} events recorded in ${(result.createdMs / 1000).toFixed(2)} s, all delivered ${(result.allMs / 1000).toFixed(2)} s after the first change · products.list p95 idle ${result.idleP95.toFixed(1)} ms, during ${result.duringP95.toFixed(1)} ms (${(result.duringP95 / result.idleP95).toFixed(2)}×)`,
        );
        if (run === RUNS && OUTAGE_MS > 0) {
          console.log(`\nreceiver down for ${OUTAGE_MS / 1000} s while ${OUTAGE_EVENTS} events are recorded …`);
          const down = await outage(app);
          console.log(
            `outage: ${down.distinctDelivered} of ${OUTAGE_EVENTS} events delivered, ${(down.deliveredAfterBackMs / 1000).toFixed(1)} s after the receiver came back; ${down.requests} requests; ${down.skusWithTwoIds} events seen under two ids; ${down.attemptsLogged} attempts logged`,
          );
        }
      } finally {
        await app.stop();
      }
    }
    console.log(
      `\nmedian of ${RUNS} runs: ${BURST} events delivered in ${(median(results.map((r) => r.allMs)) / 1000).toFixed(2)} s (${Math.round(BURST / (median(results.map((r) => r.allMs)) / 1000))} events/s end to end); products.list p95 idle ${median(results.map((r) => r.idleP95)).toFixed(1)} ms, during the burst ${median(results.map((r) => r.duringP95)).toFixed(1)} ms, ratio ${median(results.map((r) => r.duringP95 / r.idleP95)).toFixed(2)}×`,
    );
  } finally {
    await cluster.stop();
  }
}

await main();
