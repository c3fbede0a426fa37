/**
 * `npm run bench:compressed`: the import bench's 500,000-row file uploaded as it is and compressed
 * with gzip (level 6, what a browser's CompressionStream and `gzip` write), each into a fresh
 * database and server, alternated, `BENCH_RUNS` times (default 3): how many bytes travel, and the
 * server-side import time (from the first byte sent to completed, over loopback) of each, with the
 * median ratio. The aims: the gzip upload sends at most 35% of the bytes and takes at most
 * 1.1× as long.
 */
import { createReadStream, createWriteStream, existsSync, mkdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { ensureDatabase, startEmbeddedPostgres } from "../db/embedded.js";
import { startAppProcess } from "../tests/support/app-process.js";
import { BENCH_CATALOG, writeCatalogFile } from "./catalog-file.js";
import { CATALOG_FILE, WORK_DIR, apiOf, median, uploadFile } from "./support.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error(`BENCH_RUNS must be a whole number of at least 1, not "${process.env.BENCH_RUNS}"`);
const GZIP_FILE = `${CATALOG_FILE}.gz`;

interface Timing {
  totalMs: number;
  peakRssMb: number;
  created: number;
}

async function importOnce(adminUrl: string, urlFor: (database: string) => string, file: string, run: number): Promise<Timing> {
  const database = `compressed_${run}_${path.extname(file).slice(1)}_${Date.now()}`;
  await ensureDatabase(adminUrl, database);
  const app = await startAppProcess({ DATABASE_URL: urlFor(database), ROLE: "all" });
  try {
    const started = performance.now();
    const response = await uploadFile(app.url, file);
    if (response.status !== 202) throw new Error(`upload answered ${response.status}: ${JSON.stringify(response.body)}`);
    let item: { status: string; createdCount: number; error: string | null };
    for (;;) {
      item = await apiOf(app.url).imports.get.query({ id: response.body.id });
      if (["completed", "failed", "cancelled"].includes(item.status)) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    if (item.status !== "completed") throw new Error(`import ${item.status}: ${item.error}`);
    return { totalMs: performance.now() - started, peakRssMb: app.peakRss() / 2 ** 20, created: item.createdCount };
  } finally {
    await app.stop();
  }
}

async function main() {
  mkdirSync(WORK_DIR, { recursive: true });
  if (!existsSync(CATALOG_FILE)) await writeCatalogFile(CATALOG_FILE, BENCH_CATALOG);
  if (!existsSync(GZIP_FILE)) await pipeline(createReadStream(CATALOG_FILE), createGzip({ level: 6 }), createWriteStream(GZIP_FILE));
  const [plainBytes, gzipBytes] = [statSync(CATALOG_FILE).size, statSync(GZIP_FILE).size];
  console.log(
    `${path.basename(CATALOG_FILE)}: ${(plainBytes / 1e6).toFixed(1)} MB; gzip ${(gzipBytes / 1e6).toFixed(1)} MB, ` +
      `${((gzipBytes / plainBytes) * 100).toFixed(1)}% of its bytes (aim ≤ 35%)`,
  );
  const clusterDir = path.join(WORK_DIR, "postgres-compressed");
  rmSync(clusterDir, { recursive: true, force: true });
  const cluster = await startEmbeddedPostgres({ dataDir: clusterDir, persistent: false });
  const plain: Timing[] = [];
  const gzip: Timing[] = [];
  try {
    for (let run = 1; run <= RUNS; run += 1) {
      // Alternated, so neither always runs on the warmer machine.
      const order = run % 2 ? ([plain, gzip] as const) : ([gzip, plain] as const);
      for (const timings of order) {
        const file = timings === plain ? CATALOG_FILE : GZIP_FILE;
        const timing = await importOnce(cluster.adminUrl, (database) => cluster.urlFor(database), file, run);
        timings.push(timing);
        console.log(
          `run ${run} · ${timings === plain ? "plain" : "gzip"}: ${(timing.totalMs / 1000).toFixed(2)} s, created ${timing.created}, peak RSS ${timing.peakRssMb.toFixed(0)} MB`,
        );
      }
    }
  } finally {
    await cluster.stop();
  }
  const ratios = gzip.map((timing, at) => timing.totalMs / plain[at]!.totalMs);
  const row = (name: string, bytes: number, timings: Timing[]) =>
    `| ${name} | ${(bytes / 1e6).toFixed(1)} | ${(median(timings.map((t) => t.totalMs)) / 1000).toFixed(2)} | ${Math.max(...timings.map((t) => t.peakRssMb)).toFixed(0)} |`;
  console.log(`\nmedian of ${RUNS} runs\n`);
  console.log("| upload | MB sent | import s | server peak RSS MB |\n| --- | --- | --- | --- |");
  console.log(row("plain CSV", plainBytes, plain));
  console.log(row("gzip (level 6)", gzipBytes, gzip));
  console.log(
    `\nratio (gzip / plain, per run): ${ratios.map((ratio) => ratio.toFixed(2)).join(", ")}; median ${median(ratios).toFixed(2)}× (aim ≤ 1.1×)`,
  );
}

await main();
