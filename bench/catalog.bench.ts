/**
 * `npm run bench:catalog`: products.list at 500,000 imported products (466,693 distinct; `BENCH_ROWS` for another size), median and
 * p95 over CALLS calls per variant, measured over loopback HTTP against the real server process;
 * then products.deleteAll of the whole catalog.
 */
import { existsSync, mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { ensureDatabase, startEmbeddedPostgres } from "../db/embedded.js";
import { startAppProcess } from "../tests/support/app-process.js";
import { BENCH_CATALOG, writeCatalogFile } from "./catalog-file.js";
import { waitForSearchIndexes } from "./search-ready.js";
import { CATALOG_FILE, WORK_DIR, percentile, apiOf, uploadFile } from "./support.js";

const CALLS = Number(process.env.BENCH_CALLS ?? 50);

const VARIANTS: [string, Record<string, unknown>][] = [
  ["no filter", {}],
  ['sku, common substring ("re")', { sku: "re" }],
  ['sku, rare substring ("wise-wire")', { sku: "wise-wire" }],
  ['name, common ("john")', { name: "john" }],
  ['name, rare ("kimberly hill")', { name: "kimberly hill" }],
  ['description, common ("wash")', { description: "wash" }],
  ['description, rare ("gulf, jury")', { description: "gulf, jury" }],
  // Common words and letter pairs: many matches (a word's trigrams have long posting lists).
  ['description, in most ("the")', { description: "the" }],
  ['name, in most ("an")', { name: "an" }],
  ["active = false (10%)", { active: false }],
  ["name + description", { name: "smith", description: "rain" }],
  ["page 5,000 of 50", { page: 5000, pageSize: 50 }],
  // Too short for the trigram indexes and matching almost nothing: the table is read whole.
  ['name, two letters, rare ("zq")', { name: "zq" }],
];

async function main() {
  mkdirSync(WORK_DIR, { recursive: true });
  if (!existsSync(CATALOG_FILE)) await writeCatalogFile(CATALOG_FILE, BENCH_CATALOG);
  const clusterDir = path.join(WORK_DIR, "postgres-catalog");
  rmSync(clusterDir, { recursive: true, force: true });
  const cluster = await startEmbeddedPostgres({ dataDir: clusterDir, persistent: false });
  try {
    await ensureDatabase(cluster.adminUrl, "catalog_bench");
    const databaseUrl = cluster.urlFor("catalog_bench");
    const app = await startAppProcess({ DATABASE_URL: databaseUrl });
    try {
      const uploadStarted = performance.now();
      const id = (await uploadFile(app.url, CATALOG_FILE)).body.id;
      while ((await apiOf(app.url).imports.get.query({ id })).status !== "completed") await new Promise((r) => setTimeout(r, 200));
      const importMs = performance.now() - uploadStarted;
      const searchReadyMs = await waitForSearchIndexes(databaseUrl);
      console.log(`import ${(importMs / 1000).toFixed(1)} s; search indexes rebuilt ${(searchReadyMs / 1000).toFixed(1)} s after it completed`);
      const db = new pg.Client({ connectionString: databaseUrl });
      await db.connect();
      // The generated file has no `active` column; one product in ten is made inactive for the filter.
      await db.query("UPDATE products SET active = false WHERE id % 10 = 0");
      await db.query("VACUUM (ANALYZE) products");
      await db.end();

      console.log(`${(await apiOf(app.url).products.list.query({})).total} products; ${CALLS} calls per variant\n`);
      console.log("| products.list | total | median ms | p95 ms |");
      console.log("| --- | --- | --- | --- |");
      for (const [label, input] of VARIANTS) {
        const times: number[] = [];
        let total = "";
        for (let i = 0; i < CALLS; i += 1) {
          const started = performance.now();
          const page = await apiOf(app.url).products.list.query(input);
          times.push(performance.now() - started);
          total = `${page.totalExact ? "" : "more than "}${page.total.toLocaleString("en-US")}`;
        }
        console.log(`| ${label} | ${total} | ${percentile(times, 50).toFixed(1)} | ${percentile(times, 95).toFixed(1)} |`);
      }
      const started = performance.now();
      const { deleted } = await apiOf(app.url).products.deleteAll.mutate({});
      console.log(`\nproducts.deleteAll: ${deleted.toLocaleString("en-US")} products in ${(performance.now() - started).toFixed(0)} ms`);
    } finally {
      await app.stop();
    }
  } finally {
    await cluster.stop();
  }
}

await main();
