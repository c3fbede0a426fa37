/**
 * `npm run bench:feeds`: the import bench's 500,000-row file as a feed fetches it (over loopback
 * HTTP from a server streaming it from disk, with an ETag) against the same file uploaded, each
 * into a fresh database and server, alternated, `BENCH_RUNS` times (default 3): from "Run now" to
 * the run applied, and from the upload's first byte to the import completed, with the median
 * ratio; then, in the same server, the import bench's every-row-changed file the same way (the
 * guard then compares every product the merge changed). In the first run, `BENCH_UNCHANGED`
 * (default 20) runs of the same feed in between, unchanged: each one conditional request answered
 * 304, timed from "Run now" to the run's end, with the imports counted before and after. The
 * issue's aims: a changed feed ≤ 1.2× the upload; an unchanged one < 1 s and no import.
 */
import { createReadStream, existsSync, mkdirSync, rmSync, statSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { ensureDatabase, startEmbeddedPostgres } from "../db/embedded.js";
import { startAppProcess } from "../tests/support/app-process.js";
import { BENCH_CATALOG, writeCatalogFile } from "./catalog-file.js";
import { CATALOG_FILE, WORK_DIR, apiOf, median, percentile, uploadFile } from "./support.js";

/** The import bench's every-row-changed file: every name gains " II". */
const CHANGED_FILE = CATALOG_FILE.replace(/\.csv$/, "-changed.csv");

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const UNCHANGED_RUNS = Number(process.env.BENCH_UNCHANGED ?? 20);
for (const [name, value] of [
  ["BENCH_RUNS", RUNS],
  ["BENCH_UNCHANGED", UNCHANGED_RUNS],
] as const) {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number of at least 1`);
}

/** The supplier's server: the file streamed from disk, 304 when asked with its ETag; `publish` changes the file. */
async function startSupplier(first: string) {
  let file = first;
  const etagOf = (path: string) => `"${statSync(path).mtimeMs.toString(36)}-${statSync(path).size}-${path.length}"`;
  let requests = 0;
  const server = http.createServer((req, res) => {
    requests += 1;
    const etag = etagOf(file);
    if (req.headers["if-none-match"] === etag) {
      res.writeHead(304, { ETag: etag }).end();
      return;
    }
    res.writeHead(200, { "Content-Type": "text/csv", "Content-Length": statSync(file).size, ETag: etag });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/exports/catalog.csv`,
    publish: (next: string) => (file = next),
    requests: () => requests,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

interface Timing {
  totalMs: number;
  /** The every-row-changed file, into the catalog the first one made. */
  changedMs: number;
  peakRssMb: number;
  created: number;
}

async function runToEnd(baseUrl: string, feedId: string) {
  const api = apiOf(baseUrl);
  const started = performance.now();
  const run = await api.feeds.run.mutate({ id: feedId });
  for (;;) {
    const found = (await api.feeds.runs.query({ id: feedId, pageSize: 1 })).items[0]!;
    if (found.id === run.id && found.status !== "running") return { run: found, ms: performance.now() - started };
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function waitForImport(baseUrl: string, id: string) {
  for (;;) {
    const item = await apiOf(baseUrl).imports.get.query({ id });
    if (["completed", "failed", "cancelled"].includes(item.status)) return item;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

type Cluster = Awaited<ReturnType<typeof startEmbeddedPostgres>>;

async function freshApp(cluster: Cluster, name: string) {
  const database = `feeds_${name}_${Date.now()}`;
  await ensureDatabase(cluster.adminUrl, database);
  return startAppProcess({ DATABASE_URL: cluster.urlFor(database), ROLE: "all", FEED_ALLOW_PRIVATE_NETWORKS: "1" });
}

async function uploadOnce(cluster: Cluster, run: number): Promise<Timing> {
  const app = await freshApp(cluster, `upload_${run}`);
  try {
    const timed = async (file: string) => {
      const started = performance.now();
      const response = await uploadFile(app.url, file);
      if (response.status !== 202) throw new Error(`upload answered ${response.status}: ${JSON.stringify(response.body)}`);
      const item = await waitForImport(app.url, response.body.id);
      if (item.status !== "completed") throw new Error(`import ${item.status}: ${item.error}`);
      return { ms: performance.now() - started, item };
    };
    const first = await timed(CATALOG_FILE);
    const changed = await timed(CHANGED_FILE);
    return { totalMs: first.ms, changedMs: changed.ms, peakRssMb: app.peakRss() / 2 ** 20, created: first.item.createdCount };
  } finally {
    await app.stop();
  }
}

async function feedOnce(
  cluster: Cluster,
  supplier: Awaited<ReturnType<typeof startSupplier>>,
  run: number,
  unchanged: number[] | null,
): Promise<Timing> {
  const app = await freshApp(cluster, `feed_${run}`);
  supplier.publish(CATALOG_FILE);
  try {
    const api = apiOf(app.url);
    const feed = await api.feeds.create.mutate({ name: "Bench supplier", url: supplier.url, schedule: "0 6 * * *" });
    const { run: ended, ms } = await runToEnd(app.url, feed.id);
    if (ended.status !== "applied") throw new Error(`feed run ${ended.status}: ${ended.reason}`);
    const item = await api.imports.get.query({ id: ended.importId! });
    if (unchanged) {
      const importsBefore = (await api.imports.list.query({})).total;
      for (let at = 0; at < UNCHANGED_RUNS; at += 1) {
        const again = await runToEnd(app.url, feed.id);
        if (again.run.status !== "unchanged") throw new Error(`an unchanged run ended ${again.run.status}: ${again.run.reason}`);
        unchanged.push(again.ms);
      }
      const importsAfter = (await api.imports.list.query({})).total;
      console.log(`unchanged runs: imports before ${importsBefore}, after ${importsAfter} (aim: the same)`);
    }
    supplier.publish(CHANGED_FILE);
    const changed = await runToEnd(app.url, feed.id);
    if (changed.run.status !== "applied") throw new Error(`the changed file's run ${changed.run.status}: ${changed.run.reason}`);
    return { totalMs: ms, changedMs: changed.ms, peakRssMb: app.peakRss() / 2 ** 20, created: item.createdCount };
  } finally {
    await app.stop();
  }
}

async function main() {
  mkdirSync(WORK_DIR, { recursive: true });
  if (!existsSync(CATALOG_FILE)) await writeCatalogFile(CATALOG_FILE, BENCH_CATALOG);
  if (!existsSync(CHANGED_FILE)) await writeCatalogFile(CHANGED_FILE, { ...BENCH_CATALOG, nameSuffix: " II" });
  console.log(`${path.basename(CATALOG_FILE)}: ${(statSync(CATALOG_FILE).size / 1e6).toFixed(1)} MB, ${BENCH_CATALOG.rows} rows`);
  const supplier = await startSupplier(CATALOG_FILE);
  const clusterDir = path.join(WORK_DIR, "postgres-feeds");
  rmSync(clusterDir, { recursive: true, force: true });
  const cluster = await startEmbeddedPostgres({ dataDir: clusterDir, persistent: false });
  const uploads: Timing[] = [];
  const feeds: Timing[] = [];
  const unchanged: number[] = [];
  try {
    for (let run = 1; run <= RUNS; run += 1) {
      // Alternated, so neither always runs on the warmer machine.
      const first = run % 2 ? "upload" : "feed";
      for (const kind of first === "upload" ? ["upload", "feed"] : ["feed", "upload"]) {
        const timing = kind === "upload" ? await uploadOnce(cluster, run) : await feedOnce(cluster, supplier, run, run === 1 ? unchanged : null);
        (kind === "upload" ? uploads : feeds).push(timing);
        console.log(
          `run ${run} · ${kind}: empty catalog ${(timing.totalMs / 1000).toFixed(2)} s (created ${timing.created}), every row changed ${(timing.changedMs / 1000).toFixed(2)} s, peak RSS ${timing.peakRssMb.toFixed(0)} MB`,
        );
      }
    }
  } finally {
    await cluster.stop();
    await supplier.close();
  }
  const ratios = (of: (timing: Timing) => number) => feeds.map((timing, at) => of(timing) / of(uploads[at]!));
  const empty = ratios((timing) => timing.totalMs);
  const changed = ratios((timing) => timing.changedMs);
  const seconds = (timings: Timing[], of: (timing: Timing) => number) => (median(timings.map(of)) / 1000).toFixed(2);
  const row = (name: string, timings: Timing[]) =>
    `| ${name} | ${seconds(timings, (t) => t.totalMs)} | ${seconds(timings, (t) => t.changedMs)} | ${Math.max(...timings.map((t) => t.peakRssMb)).toFixed(0)} |`;
  console.log(`\nmedian of ${RUNS} runs\n`);
  console.log("| 500,000 rows, s to applied | empty catalog | every row changed | server peak RSS MB |\n| --- | --- | --- | --- |");
  console.log(row("upload (POST /api/imports)", uploads));
  console.log(row("feed over loopback HTTP (Run now)", feeds));
  const ratioLine = (name: string, values: number[]) =>
    `ratio (feed / upload, per run), ${name}: ${values.map((ratio) => ratio.toFixed(2)).join(", ")}; median ${median(values).toFixed(2)}× (aim ≤ 1.2×)`;
  console.log(`\n${ratioLine("empty catalog", empty)}\n${ratioLine("every row changed", changed)}`);
  console.log(
    `unchanged feed, ${unchanged.length} runs (304): median ${median(unchanged).toFixed(0)} ms, p95 ${percentile(unchanged, 95).toFixed(0)} ms, max ${Math.max(...unchanged).toFixed(0)} ms (aim < 1 s, no import)`,
  );
}

await main();
