/**
 * `npm run bench:webhooks`: (1) a burst of 1,000 events to 5 loopback receivers that answer in
 * 50 ms: time until all 5,000 are delivered, and products.list p95 during the burst against idle,
 * in the same run; the same with a sixth endpoint that never answers, and while 1,000,000 old
 * delivery attempts are pruned; (2) a receiver that is down for a minute: every event arrives once
 * it is back, none lost, none under two different ids. Median of RUNS for (1).
 */
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { connectDatabase } from "../db/connect.js";
import { createLogger } from "../server/logger.js";
import { pruneWebhookHistory } from "../server/webhooks/retention.js";
import { ensureDatabase, startEmbeddedPostgres } from "../db/embedded.js";
import { startAppProcess, type AppProcess } from "../tests/support/app-process.js";
import { startHangingReceiver, startReceiver } from "../tests/support/receiver.js";
import { waitForSearchIndexes } from "./search-ready.js";
import { WORK_DIR, median, percentile, apiOf } from "./support.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const BURST = Number(process.env.BENCH_EVENTS ?? 1_000);
const OUTAGE_EVENTS = 200;
const OUTAGE_MS = Number(process.env.BENCH_OUTAGE_MS ?? 60_000);
/** Per endpoint: 1,000 answers of 50 ms take 12.5 s at the default 4 in flight, so the burst runs with more. */
const MAX_IN_FLIGHT = Number(process.env.BENCH_MAX_IN_FLIGHT ?? 8);
const PRUNE_ROWS = Number(process.env.BENCH_PRUNE_ROWS ?? 1_000_000);
const SCENARIOS: [string, BurstOptions][] = [
  ["5 endpoints", { endpoints: 5 }],
  ["5 endpoints + 1 that never answers", { endpoints: 5, hanging: true }],
  [`5 endpoints while ${PRUNE_ROWS.toLocaleString("en-US")} old attempts are pruned`, { endpoints: 5, prune: PRUNE_ROWS }],
];
const silentLog = createLogger("silent");

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

/** Delivery attempts 40 days old (past the 30-day retention), for the pruner to work through. */
async function recordOldDeliveries(databaseUrl: string, count: number): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const { rows } = await client.query<{ id: string }>(
    "INSERT INTO webhooks (url, events, enabled, secret) VALUES ('http://127.0.0.1:9/old', '{product.created}', false, 'whsec_b2xk') RETURNING id",
  );
  await client.query(
    `INSERT INTO webhook_deliveries (webhook_id, event_id, event_type, attempt, status_code, created_at)
     SELECT $1, gen_random_uuid(), 'product.created', 1, 200, now() - interval '40 days' FROM generate_series(1, $2::int)`,
    [rows[0]!.id, count],
  );
  await client.query("VACUUM ANALYZE webhook_deliveries");
  await client.end();
}

interface BurstOptions {
  /** Healthy endpoints, each answering after 50 ms. */
  endpoints: number;
  /** A further endpoint that never answers. */
  hanging?: boolean;
  /** Prune this many old delivery attempts while the burst goes out. */
  prune?: number;
}

/** BURST events to every endpoint: until each healthy receiver has all of them. */
async function burst(app: AppProcess, databaseUrl: string, label: string, options: BurstOptions) {
  const receivers = await Promise.all(Array.from({ length: options.endpoints }, () => startReceiver(() => ({ status: 200, delayMs: 50 }))));
  const hanging = options.hanging ? await startHangingReceiver() : undefined;
  const urls = [...receivers.map((receiver) => receiver.url), ...(hanging ? [hanging.url] : [])];
  const webhooks = await Promise.all(
    urls.map((url) => apiOf(app.url).webhooks.create.mutate({ url, events: ["product.created"], maxInFlight: MAX_IN_FLIGHT })),
  );
  if (options.prune) await recordOldDeliveries(databaseUrl, options.prune);
  const idle = await probeList(app, new Promise((resolve) => setTimeout(resolve, 3_000)));
  const database = options.prune ? connectDatabase(databaseUrl, { max: 2 }) : undefined;
  // The burst is recorded in one transaction, as if by a flurry of changes elsewhere, so the
  // latency compared is the delivery's own cost, not that of making 1,000 changes.
  const started = performance.now();
  await recordBurst(databaseUrl, label);
  const pruning = database
    ? pruneWebhookHistory(database.db, silentLog, 30).then((pruned) => ({ pruned, pruneMs: performance.now() - started }))
    : Promise.resolve({ pruned: 0, pruneMs: 0 });
  const delivered = Promise.all(receivers.map((receiver) => receiver.waitFor(BURST, 300_000)));
  const during = await probeList(app, delivered);
  await delivered;
  const allMs = performance.now() - started;
  const { pruned, pruneMs } = await pruning;
  await database?.close();
  await Promise.all(webhooks.map((webhook) => apiOf(app.url).webhooks.delete.mutate({ id: webhook.id })));
  await Promise.all([...receivers.map((receiver) => receiver.close()), hanging?.close()]);
  return { allMs, idleP95: percentile(idle, 95), duringP95: percentile(during, 95), pruned, pruneMs };
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
    const results: Record<string, Awaited<ReturnType<typeof burst>>[]> = {};
    for (let run = 1; run <= RUNS; run += 1) {
      const database = `webhooks_${run}_${Date.now()}`;
      await ensureDatabase(cluster.adminUrl, database);
      const app = await startAppProcess({ DATABASE_URL: cluster.urlFor(database), WEBHOOK_ALLOW_PRIVATE_NETWORKS: "1" });
      try {
        await seedCatalog(app, cluster.urlFor(database));
        for (const [scenario, options] of SCENARIOS) {
          const result = await burst(app, cluster.urlFor(database), `${scenario.replace(/\W+/g, "-")}-${run}`, options);
          (results[scenario] ??= []).push(result);
          console.log(
            `run ${run} · ${scenario}: ${BURST} events × ${options.endpoints} endpoints delivered in ${(result.allMs / 1000).toFixed(2)} s · products.list p95 idle ${result.idleP95.toFixed(1)} ms, during ${result.duringP95.toFixed(1)} ms${result.pruned ? ` · pruned ${result.pruned.toLocaleString("en-US")} old attempts in ${(result.pruneMs / 1000).toFixed(1)} s meanwhile` : ""}`,
          );
        }
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
    const base = results[SCENARIOS[0]![0]]!;
    console.log(`\nmedian of ${RUNS} runs, ${BURST} events, receivers answering after 50 ms, maxInFlight ${MAX_IN_FLIGHT} per endpoint:\n`);
    console.log("| scenario | all delivered s | deliveries/s | against 5 endpoints alone (same run) | products.list p95 idle → during ms |");
    console.log("| --- | --- | --- | --- | --- |");
    for (const [scenario, options] of SCENARIOS) {
      const runs = results[scenario]!;
      const ratio = median(runs.map((result, index) => result.allMs / base[index]!.allMs));
      const allMs = median(runs.map((result) => result.allMs));
      console.log(
        `| ${scenario} | ${(allMs / 1000).toFixed(2)} | ${Math.round((BURST * options.endpoints) / (allMs / 1000)).toLocaleString("en-US")} | ${ratio.toFixed(2)}× | ${median(runs.map((r) => r.idleP95)).toFixed(1)} → ${median(runs.map((r) => r.duringP95)).toFixed(1)} |`,
      );
    }
  } finally {
    await cluster.stop();
  }
}

await main();
