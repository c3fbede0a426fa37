/**
 * `npm run bench:variants`: a Shopify export shaped as shops have them (100,000 handles of five
 * variants each, Size and Color options, seven images per handle: five on the variant rows, two on
 * image-only rows, so 500,000 variant rows and 200,000 image rows), imported through the app,
 * against the same 500,000 variant rows in a flat file without the handle, option and image
 * columns (each row holding its product's name and description, as nothing carries them over).
 * Each import runs in a fresh database and server, the two alternated, RUNS times: median times,
 * their ratio, and the server's peak RSS.
 */
import { createWriteStream, existsSync, mkdirSync, rmSync, statSync } from "node:fs";
import { once } from "node:events";
import path from "node:path";
import { ensureDatabase, startEmbeddedPostgres } from "../db/embedded.js";
import { startAppProcess } from "../tests/support/app-process.js";
import { WORK_DIR, apiOf, median, uploadFile } from "./support.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const HANDLES = Number(process.env.BENCH_HANDLES ?? 100_000);
const SIZES = ["XS", "S", "M", "L", "XL"];
const IMAGES_PER_HANDLE = 7;
const SHOPIFY_FILE = path.join(WORK_DIR, `shopify-variants-${HANDLES}-v1.csv`);
const FLAT_FILE = path.join(WORK_DIR, `shopify-variants-flat-${HANDLES}-v1.csv`);

const quote = (cell: string) => (/[",\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);
const line = (cells: string[]) => `${cells.map(quote).join(",")}\n`;

const SHOPIFY_HEADER = [
  "Handle",
  "Title",
  "Body (HTML)",
  "Vendor",
  "Type",
  "Tags",
  "Published",
  "Option1 Name",
  "Option1 Value",
  "Option2 Name",
  "Option2 Value",
  "Variant SKU",
  "Variant Grams",
  "Variant Inventory Qty",
  "Variant Price",
  "Variant Compare At Price",
  "Variant Barcode",
  "Image Src",
  "Image Position",
  "Variant Image",
  "Status",
];
const FLAT_HEADER = [
  "sku",
  "name",
  "description",
  "brand",
  "category",
  "tags",
  "active",
  "weight_grams",
  "stock",
  "price",
  "compare_at_price",
  "barcode",
];

/** One handle's products: shared values, then each variant's own. */
function handleOf(n: number) {
  const handle = `product-${String(n).padStart(6, "0")}`;
  return {
    handle,
    title: `Product ${n} in organic cotton`,
    body: `<p>Product ${n}: a soft, durable piece made from organic cotton, cut for everyday wear.</p><ul><li>Machine washable</li></ul>`,
    vendor: `Brand ${n % 400}`,
    type: `Apparel > Group ${n % 50}`,
    tags: `cotton, season-${n % 4}`,
    images: Array.from({ length: IMAGES_PER_HANDLE }, (_, at) => `https://cdn.shopify.com/s/files/1/0001/files/${handle}-${at + 1}.jpg?v=1705311000`),
    variants: SIZES.map((size, at) => ({
      sku: `P${String(n).padStart(6, "0")}-${size}`,
      size,
      color: n % 2 ? "Navy" : "Black",
      grams: String(200 + at * 10),
      stock: String((n * 7 + at) % 40),
      price: (19 + (n % 50) + at).toFixed(2),
      compare: (29 + (n % 50) + at).toFixed(2),
      barcode: String(4006381000000 + n * 5 + at),
    })),
  };
}

async function writeFiles() {
  mkdirSync(WORK_DIR, { recursive: true });
  if (existsSync(SHOPIFY_FILE) && existsSync(FLAT_FILE)) return;
  console.log(`writing ${SHOPIFY_FILE} and ${FLAT_FILE} …`);
  const shopify = createWriteStream(SHOPIFY_FILE);
  const flat = createWriteStream(FLAT_FILE);
  const write = async (stream: ReturnType<typeof createWriteStream>, text: string) => {
    if (!stream.write(text)) await once(stream, "drain");
  };
  await write(shopify, line(SHOPIFY_HEADER));
  await write(flat, line(FLAT_HEADER));
  for (let n = 1; n <= HANDLES; n += 1) {
    const product = handleOf(n);
    let rows = "";
    let flatRows = "";
    for (let at = 0; at < IMAGES_PER_HANDLE; at += 1) {
      const variant = product.variants[at];
      const image = [product.images[at]!, String(at + 1)];
      if (!variant) {
        rows += line([product.handle, "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", ...image, "", ""]);
        continue;
      }
      const first = at === 0;
      rows += line([
        product.handle,
        first ? product.title : "",
        first ? product.body : "",
        first ? product.vendor : "",
        first ? product.type : "",
        first ? product.tags : "",
        first ? "TRUE" : "",
        first ? "Size" : "",
        variant.size,
        first ? "Color" : "",
        variant.color,
        variant.sku,
        variant.grams,
        variant.stock,
        variant.price,
        variant.compare,
        variant.barcode,
        ...image,
        at === 2 ? product.images[4]! : "",
        first ? "active" : "",
      ]);
      flatRows += line([
        variant.sku,
        product.title,
        product.body,
        product.vendor,
        product.type,
        product.tags,
        "true",
        variant.grams,
        variant.stock,
        variant.price,
        variant.compare,
        variant.barcode,
      ]);
    }
    await write(shopify, rows);
    await write(flat, flatRows);
  }
  shopify.end();
  flat.end();
  await Promise.all([once(shopify, "finish"), once(flat, "finish")]);
}

interface Timing {
  totalMs: number;
  stagingMs: number;
  peakRssMb: number;
  created: number;
  folded: number;
}

async function importOnce(adminUrl: string, urlFor: (database: string) => string, file: string, run: number): Promise<Timing> {
  const database = `variants_${run}_${path.basename(file, ".csv").replace(/\W/g, "_")}_${Date.now()}`;
  await ensureDatabase(adminUrl, database);
  const app = await startAppProcess({ DATABASE_URL: urlFor(database), ROLE: "all" });
  try {
    const started = performance.now();
    const response = await uploadFile(app.url, file);
    const staged = performance.now();
    if (response.status !== 202) throw new Error(`upload answered ${response.status}: ${JSON.stringify(response.body)}`);
    let item: any;
    for (;;) {
      item = await apiOf(app.url).imports.get.query({ id: response.body.id });
      if (["completed", "failed", "cancelled"].includes(item.status)) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    if (item.status !== "completed") throw new Error(`import ${item.status}: ${item.error}`);
    return {
      totalMs: performance.now() - started,
      stagingMs: staged - started,
      peakRssMb: app.peakRss() / 2 ** 20,
      created: item.createdCount,
      folded: item.foldedCount,
    };
  } finally {
    await app.stop();
  }
}

async function main() {
  await writeFiles();
  for (const file of [SHOPIFY_FILE, FLAT_FILE]) console.log(`${path.basename(file)}: ${(statSync(file).size / 1e6).toFixed(1)} MB`);
  const clusterDir = path.join(WORK_DIR, "postgres-variants");
  rmSync(clusterDir, { recursive: true, force: true });
  const cluster = await startEmbeddedPostgres({ dataDir: clusterDir, persistent: false });
  const shopify: Timing[] = [];
  const flat: Timing[] = [];
  try {
    for (let run = 1; run <= RUNS; run += 1) {
      // Alternated, so neither always runs on the warmer machine.
      const order =
        run % 2
          ? ([
              ["flat", FLAT_FILE],
              ["shopify", SHOPIFY_FILE],
            ] as const)
          : ([
              ["shopify", SHOPIFY_FILE],
              ["flat", FLAT_FILE],
            ] as const);
      for (const [name, file] of order) {
        const timing = await importOnce(cluster.adminUrl, (database) => cluster.urlFor(database), file, run);
        (name === "shopify" ? shopify : flat).push(timing);
        console.log(
          `run ${run} · ${name}: ${(timing.totalMs / 1000).toFixed(2)} s (upload and staging ${(timing.stagingMs / 1000).toFixed(2)} s), created ${timing.created}, folded ${timing.folded}, peak RSS ${timing.peakRssMb.toFixed(0)} MB`,
        );
      }
    }
  } finally {
    await cluster.stop();
  }
  const ratios = shopify.map((timing, at) => timing.totalMs / flat[at]!.totalMs);
  const row = (name: string, timings: Timing[]) =>
    `| ${name} | ${(median(timings.map((t) => t.stagingMs)) / 1000).toFixed(2)} | ${(median(timings.map((t) => t.totalMs)) / 1000).toFixed(2)} | ${Math.max(...timings.map((t) => t.peakRssMb)).toFixed(0)} |`;
  console.log(`\nmedian of ${RUNS} runs, ${HANDLES} handles (${HANDLES * SIZES.length} variant rows, ${HANDLES * 2} image-only rows)\n`);
  console.log("| file | upload + staging s | total s | server peak RSS MB |\n| --- | --- | --- | --- |");
  console.log(row("Shopify export: handles, options, images", shopify));
  console.log(row("the same variant rows, flat (no handle, option or image columns)", flat));
  console.log(`\nratio (Shopify / flat, per run): ${ratios.map((ratio) => ratio.toFixed(2)).join(", ")}; median ${median(ratios).toFixed(2)}×`);
}

await main();
