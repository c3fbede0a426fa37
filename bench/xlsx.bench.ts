/**
 * `npm run bench:xlsx`: a 500,000-row .xlsx workbook against the same rows as a CSV file, each
 * imported through the real server (its own process, a fresh database, an empty catalog), in the
 * same run. Prints the median of RUNS for upload + staging, merge, total and the server's peak RSS.
 */
import { createWriteStream, existsSync, mkdirSync, rmSync, statSync } from "node:fs";
import { once } from "node:events";
import path from "node:path";
import { ensureDatabase, startEmbeddedPostgres } from "../db/embedded.js";
import { startAppProcess } from "../tests/support/app-process.js";
import { largeXlsxRow, writeLargeXlsx } from "../tests/support/supplier-files.js";
import { apiOf, median, uploadFile, WORK_DIR } from "./support.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const ROWS = Number(process.env.BENCH_XLSX_ROWS ?? 500_000);
const WORKBOOK = path.join(WORK_DIR, `workbook-${ROWS}.xlsx`);
const SAME_AS_CSV = path.join(WORK_DIR, `workbook-${ROWS}.csv`);

const seconds = (ms: number) => (ms / 1000).toFixed(2);
const field = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

async function writeSameRowsAsCsv(file: string): Promise<void> {
  const out = createWriteStream(file);
  let chunk = "sku,name,description,active\n";
  for (let n = 1; n <= ROWS; n += 1) {
    chunk += `${largeXlsxRow(n).map(field).join(",")}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, "drain");
      chunk = "";
    }
  }
  out.end(chunk);
  await once(out, "close");
}

interface Timing {
  stagingMs: number;
  mergeMs: number;
  totalMs: number;
  peakRss: number;
}

async function importOnce(adminUrl: string, urlFor: (database: string) => string, file: string): Promise<Timing> {
  const database = `bench_xlsx_${Date.now()}`;
  await ensureDatabase(adminUrl, database);
  const app = await startAppProcess({ DATABASE_URL: urlFor(database) });
  try {
    const started = performance.now();
    const response = await uploadFile(app.url, file);
    const staged = performance.now();
    if (response.status !== 202) throw new Error(`upload answered ${response.status}: ${JSON.stringify(response.body)}`);
    for (;;) {
      const item = await apiOf(app.url).imports.get.query({ id: response.body.id });
      if (item.status === "completed") {
        if (item.createdCount !== ROWS) throw new Error(`created ${item.createdCount} of ${ROWS}`);
        break;
      }
      if (item.status === "failed" || item.status === "cancelled") throw new Error(`import ${item.status}: ${item.error}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const finished = performance.now();
    return { stagingMs: staged - started, mergeMs: finished - staged, totalMs: finished - started, peakRss: app.peakRss() };
  } finally {
    await app.stop();
  }
}

async function main() {
  mkdirSync(WORK_DIR, { recursive: true });
  if (!existsSync(WORKBOOK)) {
    console.log(`writing ${WORKBOOK} …`);
    await writeLargeXlsx(WORKBOOK, ROWS);
  }
  if (!existsSync(SAME_AS_CSV)) await writeSameRowsAsCsv(SAME_AS_CSV);
  const mb = (file: string) => (statSync(file).size / 1e6).toFixed(1);
  console.log(`${ROWS} rows: workbook ${mb(WORKBOOK)} MB, the same rows as CSV ${mb(SAME_AS_CSV)} MB`);

  const clusterDir = path.join(WORK_DIR, "postgres-xlsx");
  rmSync(clusterDir, { recursive: true, force: true });
  const cluster = await startEmbeddedPostgres({ dataDir: clusterDir, persistent: false });
  const results = { csv: [] as Timing[], xlsx: [] as Timing[] };
  try {
    for (let run = 1; run <= RUNS; run += 1) {
      for (const [kind, file] of [
        ["csv", SAME_AS_CSV],
        ["xlsx", WORKBOOK],
      ] as const) {
        const timing = await importOnce(cluster.adminUrl, cluster.urlFor, file);
        results[kind].push(timing);
        console.log(
          `run ${run} · ${kind}: ${seconds(timing.totalMs)} s (staging ${seconds(timing.stagingMs)}, merge ${seconds(timing.mergeMs)}) · peak RSS ${(timing.peakRss / 2 ** 20).toFixed(0)} MB`,
        );
      }
    }
  } finally {
    await cluster.stop();
  }
  console.log(`\nmedian of ${RUNS} runs, ${ROWS} rows into an empty catalog\n`);
  console.log("| file | upload + staging s | merge s | total s | rows/s | server peak RSS MB | ratio to CSV |");
  console.log("| --- | --- | --- | --- | --- | --- | --- |");
  const csvTotal = median(results.csv.map((t) => t.totalMs));
  for (const kind of ["csv", "xlsx"] as const) {
    const timings = results[kind];
    const total = median(timings.map((t) => t.totalMs));
    console.log(
      `| ${kind === "csv" ? "CSV" : ".xlsx"} | ${seconds(median(timings.map((t) => t.stagingMs)))} | ${seconds(median(timings.map((t) => t.mergeMs)))} | ${seconds(total)} | ${Math.round(ROWS / (total / 1000)).toLocaleString("en-US")} | ${(median(timings.map((t) => t.peakRss)) / 2 ** 20).toFixed(0)} | ${(total / csvTotal).toFixed(2)}× |`,
    );
  }
}

await main();
