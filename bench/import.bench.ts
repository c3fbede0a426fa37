/**
 * `npm run bench:import`: the real path (HTTP upload until `completed`) against the raw Postgres
 * baseline (COPY into an unlogged table + one INSERT … SELECT DISTINCT ON … ON CONFLICT DO UPDATE),
 * in the same run on the same database, for an empty catalog and for re-imports. Median of RUNS.
 */
import { createReadStream, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { pipeline } from "node:stream/promises";
import { ensureDatabase, startEmbeddedPostgres } from "../db/embedded.js";
import { startAppProcess } from "../tests/support/app-process.js";
import { BENCH_CATALOG, COMMERCE_COLUMNS, CUSTOM_FIELDS, commerceCatalogName, writeCatalogFile } from "./catalog-file.js";
import { printProfiles } from "./cpu-profile.js";
import { waitForSearchIndexes } from "./search-ready.js";
import { CATALOG_FILE, WORK_DIR, median, percentile, apiOf, defineCustomFields, uploadFile } from "./support.js";

/** `npm run bench:import -- --profile`: one run with the server's threads profiled, then where their time went. */
const PROFILE = process.argv.includes("--profile");
const PROFILE_DIR = path.join(WORK_DIR, "profile");
const RUNS = PROFILE ? 1 : Number(process.env.BENCH_RUNS ?? 3);
/** `BENCH_FOUR_COLUMNS=0` leaves out the four-column scenarios (and the review steps, which reuse their imports). */
const FOUR_COLUMNS = process.env.BENCH_FOUR_COLUMNS !== "0";
/** `BENCH_REVIEW=0` leaves out the review, apply and undo steps (for a quicker comparison of the import alone). */
const REVIEW = process.env.BENCH_REVIEW !== "0" && FOUR_COLUMNS;
const FILE = CATALOG_FILE;
const CHANGED_FILE = path.join(WORK_DIR, `catalog-${BENCH_CATALOG.rows}-${BENCH_CATALOG.seed}-v2-changed.csv`);
/** The same catalog with every built-in commerce field and three of one's own (`BENCH_COMMERCE=0` leaves its scenarios out). */
const COMMERCE_FILE = path.join(WORK_DIR, commerceCatalogName(BENCH_CATALOG));
const COMMERCE = process.env.BENCH_COMMERCE !== "0";

const seconds = (ms: number) => (ms / 1000).toFixed(2);
/** Milliseconds, or a dash for what this run did not measure. */
const millis = (ms: number) => (Number.isNaN(ms) ? "—" : ms.toFixed(0));

interface AppTiming {
  stagingMs: number;
  mergeMs: number;
  totalMs: number;
  listP95Ms: number;
  listMaxMs: number;
  /** While the file uploads and is parsed (the request thread's share of the work), and while it merges (Postgres's). */
  listUploadP95Ms: number;
  listMergeP95Ms: number;
  /** From `completed` until the search indexes a large import drops are rebuilt. */
  searchReadyMs: number;
  /** Rare name and description filters (the plans a missing search index hurts most), p95 during the import and in the 20 s after it. */
  textDuringP95Ms: number;
  textAfterP95Ms: number;
  created: number;
  updated: number;
  id: string;
}

/** Nearly every product of the catalog: what the review, the undo and its removal must each have touched. */
const MOST_PRODUCTS = Math.round(BENCH_CATALOG.distinctSkus * 0.85);

/** Review, apply and undo of a whole file against the catalog it made (466,693 products at the default size; issue 14's figures). */
interface ReviewTiming {
  /** The upload answer waits for the first comparison; this is the upload's whole time. */
  reviewUploadMs: number;
  /** imports.review recomputed after a catalog change: the diff alone, through the API. */
  diffMs: number;
  /** imports.apply until `completed`. */
  applyMs: number;
  /** imports.revert of that applied import (every product given its values back). */
  undoUpdateMs: number;
  /** imports.revert of the first import (every product it created removed). */
  undoCreateMs: number;
  beforeImagesBytes: number;
  stagedBytes: number;
}

async function waitUntilSettled(url: string, id: string) {
  for (;;) {
    const item = await apiOf(url).imports.get.query({ id });
    if (item.status === "completed" || item.status === "failed" || item.status === "cancelled") return item;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function relationBytes(databaseUrl: string, relation: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ bytes: string | null }>("SELECT pg_total_relation_size(to_regclass($1)) AS bytes", [relation]);
    return Number(rows[0]!.bytes ?? 0);
  } finally {
    await client.end();
  }
}

/**
 * After the three scenarios the catalog holds the changed file: the first file reviewed against
 * it changes every product back. Then it is applied, undone, and the first import undone too.
 */
async function reviewApplyUndo(url: string, databaseUrl: string, firstImportId: string, changedImportId: string): Promise<ReviewTiming> {
  const api = apiOf(url);
  await settle(databaseUrl);
  const started = performance.now();
  const response = await uploadFile(url, FILE, { review: "1" });
  const reviewUploadMs = performance.now() - started;
  if (response.status !== 202 || response.body.import.status !== "review") throw new Error(`review upload answered ${response.status}`);
  const id: string = response.body.id;
  const stagedBytes = await relationBytes(databaseUrl, `staging.import_${id}`);
  // Any catalog change makes the next imports.review compare afresh.
  const touched = await api.products.create.mutate({ sku: `bench-touch-${id}`, name: "touch" });
  const diffStarted = performance.now();
  const review = await api.imports.review.query({ id });
  const diffMs = performance.now() - diffStarted;
  await api.products.delete.mutate({ id: touched.id });
  if (review.updated < MOST_PRODUCTS) throw new Error(`the review found only ${review.updated} updates`);

  await settle(databaseUrl);
  const applyStarted = performance.now();
  await api.imports.apply.mutate({ id });
  const applied = await waitUntilSettled(url, id);
  const applyMs = performance.now() - applyStarted;
  if (applied.status !== "completed") throw new Error(`the reviewed import ended ${applied.status}: ${applied.error}`);
  const beforeImagesBytes = await relationBytes(databaseUrl, `staging.import_${id}_before`);
  await waitForSearchIndexes(databaseUrl);

  await settle(databaseUrl);
  const undoStarted = performance.now();
  const undone = await api.imports.revert.mutate({ id });
  const undoUpdateMs = performance.now() - undoStarted;
  if (undone.restored < MOST_PRODUCTS) throw new Error(`the undo restored only ${undone.restored}`);
  await waitForSearchIndexes(databaseUrl);
  // The changed file's import holds the catalog's values again; undone, the first import's do.
  await api.imports.revert.mutate({ id: changedImportId });
  await waitForSearchIndexes(databaseUrl);

  await settle(databaseUrl);
  const createStarted = performance.now();
  const removed = await api.imports.revert.mutate({ id: firstImportId });
  const undoCreateMs = performance.now() - createStarted;
  if (removed.removed < MOST_PRODUCTS) throw new Error(`the undo removed only ${removed.removed}`);
  await waitForSearchIndexes(databaseUrl);
  return { reviewUploadMs, diffMs, applyMs, undoUpdateMs, undoCreateMs, beforeImagesBytes, stagedBytes };
}

/**
 * `BENCH_TEXT_FILTERS=1` also times rare text filters during each import and after it. Off by
 * default: without the search indexes each one reads the table twice over on two cores, which
 * slows the merge it runs beside (an every-row-changed merge 8 → 15 s), so the import figures are
 * measured without it.
 */
const TEXT_FILTERS = process.env.BENCH_TEXT_FILTERS === "1";
/** Text filters matching a few hundred products and three at 500,000 rows: answered from the search indexes, or by reading the table. */
const RARE_TEXT_FILTERS = [{ name: "kimberly hill" }, { description: "gulf, jury" }];
/** How long after `completed` the text filters are still timed (the window). */
const AFTER_IMPORT_MS = 20_000;

/**
 * Uploads the file and waits for `completed`, asking products.list every 100 ms meanwhile, and a
 * rare text filter once a second (a person filtering; without the search indexes each one reads
 * the table, so asking more often would mostly measure the bench's own load) until 20 s after it.
 */
async function importThroughApp(url: string, databaseUrl: string, file: string): Promise<AppTiming> {
  const latencies: number[] = [];
  const during = { upload: [] as number[], merge: [] as number[] };
  let phase: keyof typeof during = "upload";
  let running = true;
  const probe = (async () => {
    while (running) {
      const started = performance.now();
      const askedDuring = phase;
      await apiOf(url).products.list.query({ page: 1, pageSize: 50 });
      latencies.push(performance.now() - started);
      during[askedDuring].push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  const text = { during: [] as number[], after: [] as number[] };
  let textPhase: keyof typeof text = "during";
  let textRunning = true;
  const textProbe = (async () => {
    for (let call = 0; TEXT_FILTERS && textRunning; call += 1) {
      const started = performance.now();
      const askedDuring = textPhase;
      await apiOf(url).products.list.query(RARE_TEXT_FILTERS[call % RARE_TEXT_FILTERS.length]!);
      text[askedDuring].push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  })();
  const started = performance.now();
  const response = await uploadFile(url, file);
  const staged = performance.now();
  phase = "merge";
  if (response.status !== 202) throw new Error(`upload answered ${response.status}: ${JSON.stringify(response.body)}`);
  let item: any;
  for (;;) {
    item = await apiOf(url).imports.get.query({ id: response.body.id });
    if (item.status === "completed" || item.status === "failed" || item.status === "cancelled") break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  const finished = performance.now();
  running = false;
  textPhase = "after";
  await probe;
  if (item.status !== "completed") throw new Error(`import ended ${item.status}: ${item.error}`);
  const [searchReadyMs] = await Promise.all([
    waitForSearchIndexes(databaseUrl),
    new Promise((resolve) => setTimeout(resolve, TEXT_FILTERS ? AFTER_IMPORT_MS : 0)).then(() => {
      textRunning = false;
      return textProbe;
    }),
  ]);
  return {
    searchReadyMs,
    stagingMs: staged - started,
    mergeMs: finished - staged,
    totalMs: finished - started,
    listP95Ms: percentile(latencies, 95),
    listMaxMs: Math.max(...latencies),
    listUploadP95Ms: percentile(during.upload, 95),
    listMergeP95Ms: percentile(during.merge.length ? during.merge : [0], 95),
    textDuringP95Ms: TEXT_FILTERS ? percentile(text.during, 95) : Number.NaN,
    textAfterP95Ms: TEXT_FILTERS ? percentile(text.after, 95) : Number.NaN,
    created: item.createdCount,
    updated: item.updatedCount,
    id: response.body.id,
  };
}

/**
 * The raw Postgres floor: what a hand-written COPY + upsert costs on the same database.
 * `startFrom` gives the baseline's table the same starting point the app's catalog had (loaded
 * once, never rewritten): a baseline that had just rewritten every row would leave half-empty,
 * vacuumed pages behind and get cheaper in-place updates than the app's full pages allow.
 */
async function importThroughBaseline(
  databaseUrl: string,
  file: string,
  startFrom: string | null,
): Promise<{ copyMs: number; mergeMs: number; totalMs: number }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("TRUNCATE baseline_products");
    if (startFrom) {
      await client.query("DROP TABLE IF EXISTS baseline_seed");
      await client.query("CREATE UNLOGGED TABLE baseline_seed (name text, sku text, description text)");
      await pipeline(
        createReadStream(startFrom),
        client.query(copyFrom("COPY baseline_seed (name, sku, description) FROM STDIN WITH (FORMAT csv, HEADER true)")),
      );
      await client.query(`INSERT INTO baseline_products (sku, name, description)
        SELECT DISTINCT ON (lower(sku)) sku, name, description FROM baseline_seed ORDER BY lower(sku)`);
      await client.query("DROP TABLE baseline_seed");
    }
    await client.query("VACUUM (ANALYZE) baseline_products");
    await client.query("CHECKPOINT");
    await client.query("DROP TABLE IF EXISTS baseline_staging");
    await client.query("CREATE UNLOGGED TABLE baseline_staging (name text, sku text, description text)");
    // Same memory for sorting as the app's merge gets.
    await client.query("SET work_mem = '64MB'");
    const started = performance.now();
    await pipeline(
      createReadStream(file),
      client.query(copyFrom("COPY baseline_staging (name, sku, description) FROM STDIN WITH (FORMAT csv, HEADER true)")),
    );
    const copied = performance.now();
    await client.query(`
      INSERT INTO baseline_products (sku, name, description)
      SELECT DISTINCT ON (lower(sku)) sku, name, description FROM baseline_staging
      ON CONFLICT (lower(sku)) DO UPDATE SET sku = excluded.sku, name = excluded.name, description = excluded.description`);
    const merged = performance.now();
    return { copyMs: copied - started, mergeMs: merged - copied, totalMs: merged - started };
  } finally {
    await client.end();
  }
}

/** The raw floor for a file with every commerce field: COPY into typed columns, one upsert of them all (tags split). */
async function importCommerceThroughBaseline(databaseUrl: string, file: string, fresh: boolean) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const names = ["sku", "name", "description", ...COMMERCE_COLUMNS.split(","), "attributes"];
  const columns = names.join(", ");
  const customColumns = CUSTOM_FIELDS.map((field) => field.key).join(", ");
  try {
    if (fresh) await client.query("TRUNCATE baseline_commerce");
    await client.query("VACUUM (ANALYZE) baseline_commerce");
    await client.query("CHECKPOINT");
    await client.query("DROP TABLE IF EXISTS baseline_commerce_staging");
    await client.query(`CREATE UNLOGGED TABLE baseline_commerce_staging (name text, sku text, description text, price numeric,
      compare_at_price numeric, stock integer, barcode text, weight_grams numeric, brand text, category text, tags text,
      material text, fit text, width_cm numeric)`);
    await client.query("SET work_mem = '64MB'");
    const started = performance.now();
    await pipeline(
      createReadStream(file),
      client.query(
        copyFrom(
          `COPY baseline_commerce_staging (name, sku, description, ${COMMERCE_COLUMNS}, ${customColumns}) FROM STDIN WITH (FORMAT csv, HEADER true)`,
        ),
      ),
    );
    const copied = performance.now();
    const updates = names.map((column) => `${column} = excluded.${column}`).join(", ");
    await client.query(`
      INSERT INTO baseline_commerce (${columns})
      SELECT DISTINCT ON (lower(sku)) sku, name, description, price, compare_at_price, stock, barcode, weight_grams, brand, category,
             coalesce(string_to_array(nullif(tags, ''), ', '), '{}'),
             jsonb_strip_nulls(jsonb_build_object('material', material, 'fit', fit, 'width_cm', width_cm))
      FROM baseline_commerce_staging
      ON CONFLICT (lower(sku)) DO UPDATE SET ${updates}`);
    const merged = performance.now();
    return { copyMs: copied - started, mergeMs: merged - copied, totalMs: merged - started };
  } finally {
    await client.end();
  }
}

/**
 * Both sides start from a quiet database: the previous step's autovacuum and checkpoint would
 * otherwise run during (and be charged to) whichever step comes next.
 */
async function settle(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("VACUUM (ANALYZE) products");
    await client.query("VACUUM (ANALYZE) baseline_products");
    await client.query("CHECKPOINT");
  } finally {
    await client.end();
  }
}

async function main() {
  mkdirSync(WORK_DIR, { recursive: true });
  if (!existsSync(FILE)) {
    console.log(`writing ${FILE} …`);
    await writeCatalogFile(FILE, BENCH_CATALOG);
  }
  if (!existsSync(CHANGED_FILE)) {
    console.log(`writing ${CHANGED_FILE} …`);
    await writeCatalogFile(CHANGED_FILE, { ...BENCH_CATALOG, nameSuffix: " II" });
  }
  if (COMMERCE && !existsSync(COMMERCE_FILE)) {
    console.log(`writing ${COMMERCE_FILE} …`);
    await writeCatalogFile(COMMERCE_FILE, { ...BENCH_CATALOG, commerce: true, customFields: true });
  }
  console.log(`file: ${(statSync(FILE).size / 1e6).toFixed(1)} MB, ${BENCH_CATALOG.rows} rows, ${BENCH_CATALOG.distinctSkus} distinct SKUs`);

  const clusterDir = path.join(WORK_DIR, "postgres");
  rmSync(clusterDir, { recursive: true, force: true });
  const cluster = await startEmbeddedPostgres({ dataDir: clusterDir, persistent: false });
  const scenarios = ["empty catalog", "re-import, same file", "re-import, every row changed"] as const;
  const results: Record<string, { app: AppTiming[]; baseline: { copyMs: number; mergeMs: number; totalMs: number }[] }> = {};
  for (const scenario of scenarios) results[scenario] = { app: [], baseline: [] };
  const peakRss: number[] = [];
  const reviews: ReviewTiming[] = [];
  const commerceScenarios = ["every field, empty catalog", "every field, re-import, same file"] as const;
  for (const scenario of commerceScenarios) results[scenario] = { app: [], baseline: [] };

  try {
    for (let run = 1; run <= RUNS; run += 1) {
      const database = `bench_${run}_${Date.now()}`;
      await ensureDatabase(cluster.adminUrl, database);
      const databaseUrl = cluster.urlFor(database);
      if (PROFILE) rmSync(PROFILE_DIR, { recursive: true, force: true });
      // Node's own flags (not allowed in NODE_OPTIONS); worker threads inherit them and write their own profile.
      const nodeArgs = PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${PROFILE_DIR}`] : [];
      const app = await startAppProcess({ DATABASE_URL: databaseUrl, ROLE: "all" }, { nodeArgs });
      try {
        const setup = new pg.Client({ connectionString: databaseUrl });
        await setup.connect();
        await setup.query(`CREATE TABLE baseline_products (
          id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, sku text NOT NULL, name text NOT NULL,
          description text NOT NULL DEFAULT '', active boolean NOT NULL DEFAULT true,
          created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now())`);
        await setup.query("CREATE UNIQUE INDEX ON baseline_products (lower(sku))");
        await setup.query(`CREATE TABLE baseline_commerce (
          id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, sku text NOT NULL, name text NOT NULL,
          description text NOT NULL DEFAULT '', active boolean NOT NULL DEFAULT true, price numeric, compare_at_price numeric,
          stock integer, barcode text, weight_grams numeric, brand text, category text, tags text[] NOT NULL DEFAULT '{}',
          attributes jsonb NOT NULL DEFAULT '{}', created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now())`);
        await setup.query("CREATE UNIQUE INDEX ON baseline_commerce (lower(sku))");
        await setup.end();

        const files = { "empty catalog": FILE, "re-import, same file": FILE, "re-import, every row changed": CHANGED_FILE };
        // What the app's catalog held before each scenario (its same-file re-import rewrites nothing).
        const startFrom = { "empty catalog": null, "re-import, same file": FILE, "re-import, every row changed": FILE };
        for (const scenario of FOUR_COLUMNS ? scenarios : []) {
          await settle(databaseUrl);
          const appTiming = await importThroughApp(app.url, databaseUrl, files[scenario]);
          const baseline = await importThroughBaseline(databaseUrl, files[scenario], startFrom[scenario]);
          results[scenario]!.app.push(appTiming);
          results[scenario]!.baseline.push(baseline);
          console.log(
            `run ${run} · ${scenario}: app ${seconds(appTiming.totalMs)} s (staging ${seconds(appTiming.stagingMs)}, merge ${seconds(appTiming.mergeMs)}; search ready +${seconds(appTiming.searchReadyMs)}; created ${appTiming.created}, updated ${appTiming.updated}) · baseline ${seconds(baseline.totalMs)} s · ratio ${(appTiming.totalMs / baseline.totalMs).toFixed(2)} · list p95 ${appTiming.listP95Ms.toFixed(0)} ms (upload ${appTiming.listUploadP95Ms.toFixed(0)}, merge ${appTiming.listMergeP95Ms.toFixed(0)}) · rare text filter p95 ${millis(appTiming.textDuringP95Ms)} ms during, ${millis(appTiming.textAfterP95Ms)} ms in the 20 s after`,
          );
        }
        if (REVIEW) {
          const ids = Object.fromEntries(scenarios.map((scenario) => [scenario, results[scenario]!.app.at(-1)!.id]));
          const review = await reviewApplyUndo(app.url, databaseUrl, ids["empty catalog"]!, ids["re-import, every row changed"]!);
          reviews.push(review);
          console.log(
            `run ${run} · review: upload ${seconds(review.reviewUploadMs)} s, diff ${seconds(review.diffMs)} s, apply ${seconds(review.applyMs)} s, undo (updates) ${seconds(review.undoUpdateMs)} s, undo (creates) ${seconds(review.undoCreateMs)} s, before-images ${(review.beforeImagesBytes / 1e6).toFixed(1)} MB (staged rows ${(review.stagedBytes / 1e6).toFixed(1)} MB)`,
          );
        }
        if (COMMERCE) {
          await waitForSearchIndexes(databaseUrl);
          await apiOf(app.url).products.deleteAll.mutate();
          await defineCustomFields(app.url);
          for (const scenario of commerceScenarios) {
            await settle(databaseUrl);
            const appTiming = await importThroughApp(app.url, databaseUrl, COMMERCE_FILE);
            const baseline = await importCommerceThroughBaseline(databaseUrl, COMMERCE_FILE, scenario === commerceScenarios[0]);
            results[scenario]!.app.push(appTiming);
            results[scenario]!.baseline.push(baseline);
            console.log(
              `run ${run} · ${scenario}: app ${seconds(appTiming.totalMs)} s (staging ${seconds(appTiming.stagingMs)}, merge ${seconds(appTiming.mergeMs)}; created ${appTiming.created}, updated ${appTiming.updated}) · baseline ${seconds(baseline.totalMs)} s · ratio ${(appTiming.totalMs / baseline.totalMs).toFixed(2)}`,
            );
          }
        }
        peakRss.push(app.peakRss());
      } finally {
        await app.stop();
      }
    }
  } finally {
    await cluster.stop();
  }
  if (PROFILE) {
    console.log(`\nCPU profiles of the server's threads (${PROFILE_DIR}; open one in Chrome DevTools for the flame chart):`);
    printProfiles(PROFILE_DIR);
  }

  const rows = [...(FOUR_COLUMNS ? scenarios : []), ...(COMMERCE ? commerceScenarios : [])].map((scenario) => {
    const { app, baseline } = results[scenario]!;
    const ratios = app.map((timing, index) => timing.totalMs / baseline[index]!.totalMs);
    return {
      scenario,
      stagingS: seconds(median(app.map((t) => t.stagingMs))),
      mergeS: seconds(median(app.map((t) => t.mergeMs))),
      totalS: seconds(median(app.map((t) => t.totalMs))),
      rowsPerS: Math.round(BENCH_CATALOG.rows / (median(app.map((t) => t.totalMs)) / 1000)),
      baselineS: seconds(median(baseline.map((t) => t.totalMs))),
      baselineCopyS: seconds(median(baseline.map((t) => t.copyMs))),
      baselineMergeS: seconds(median(baseline.map((t) => t.mergeMs))),
      ratio: median(ratios).toFixed(2),
      listP95Ms: median(app.map((t) => t.listP95Ms)).toFixed(0),
      listMaxMs: Math.max(...app.map((t) => t.listMaxMs)).toFixed(0),
      listUploadP95Ms: median(app.map((t) => t.listUploadP95Ms)).toFixed(0),
      listMergeP95Ms: median(app.map((t) => t.listMergeP95Ms)).toFixed(0),
      searchReadyS: seconds(median(app.map((t) => t.searchReadyMs))),
      textDuringP95Ms: millis(median(app.map((t) => t.textDuringP95Ms))),
      textAfterP95Ms: millis(median(app.map((t) => t.textAfterP95Ms))),
    };
  });
  console.log(
    `\nmedian of ${RUNS} runs, ${BENCH_CATALOG.rows} rows, parsing ${process.env.PARSE_IN_WORKER === "0" ? "on the request thread (PARSE_IN_WORKER=0)" : "in a worker thread"}; server peak RSS ${(Math.max(...peakRss) / 2 ** 20).toFixed(0)} MB (max of runs)\n`,
  );
  console.log(
    "| scenario | upload + staging s | merge s | total s | rows/s | baseline s (COPY + upsert) | ratio | products.list p95 / max ms | p95 while uploading / merging ms | rare text filter p95 during / 20 s after ms | search indexes ready + s |",
  );
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const row of rows) {
    console.log(
      `| ${row.scenario} | ${row.stagingS} | ${row.mergeS} | ${row.totalS} | ${row.rowsPerS.toLocaleString("en-US")} | ${row.baselineS} (${row.baselineCopyS} + ${row.baselineMergeS}) | ${row.ratio}× | ${row.listP95Ms} / ${row.listMaxMs} | ${row.listUploadP95Ms} / ${row.listMergeP95Ms} | ${row.textDuringP95Ms} / ${row.textAfterP95Ms} | ${row.searchReadyS} |`,
    );
  }
  // Each run's ratios against the merges measured in the same run, then their medians.
  const changedMerges = results["re-import, every row changed"]!.app.map((t) => t.mergeMs);
  const emptyMerges = results["empty catalog"]!.app.map((t) => t.mergeMs);
  const ratio = (values: number[], against: number[]) => median(values.map((value, index) => value / against[index]!)).toFixed(2);
  const reviewRows = [
    ["review: the diff (imports.review, recomputed)", reviews.map((r) => r.diffMs), changedMerges, "merge, every row changed"],
    ["review: apply until completed", reviews.map((r) => r.applyMs), changedMerges, "merge, every row changed"],
    ["undo of an import that changed every product", reviews.map((r) => r.undoUpdateMs), reviews.map((r) => r.applyMs), "its apply"],
    ["undo of the import that created every product", reviews.map((r) => r.undoCreateMs), emptyMerges, "merge, empty catalog"],
  ] as const;
  if (reviews.length) {
    console.log("\n| step | median s | against | ratio |");
    console.log("| --- | --- | --- | --- |");
    for (const [step, values, against, label] of reviewRows) {
      console.log(
        `| ${step} | ${seconds(median([...values]))} | ${label} ${seconds(median([...against]))} s | ${ratio([...values], [...against])}× |`,
      );
    }
    console.log(
      `\nreview upload (staging + first diff) ${seconds(median(reviews.map((r) => r.reviewUploadMs)))} s; before-images kept for undo: ${(median(reviews.map((r) => r.beforeImagesBytes)) / 1e6).toFixed(1)} MB per ${BENCH_CATALOG.rows.toLocaleString("en-US")} rows (staged rows ${(median(reviews.map((r) => r.stagedBytes)) / 1e6).toFixed(1)} MB, dropped at completion)`,
    );
  }
  writeFileSync(path.join(WORK_DIR, "import-results.json"), JSON.stringify({ rows, peakRssBytes: Math.max(...peakRss), results, reviews }, null, 2));
}

await main();
