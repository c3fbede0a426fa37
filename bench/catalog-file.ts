import { createWriteStream, renameSync } from "node:fs";
import { once } from "node:events";

/**
 * Writes a deterministic catalog export shaped like the real one this product is for: header
 * `name,sku,description`, SKUs of 1–4 lowercase words, a share of rows repeating an earlier SKU
 * (a third of them in another case), person names, descriptions with commas, doubled quotes and
 * some embedded newlines.
 */
export interface CatalogShape {
  rows: number;
  distinctSkus: number;
  seed: number;
  /** Appended to every name: a "revision" of the same catalog where every product changed. */
  nameSuffix?: string;
  /**
   * Every built-in commerce field too (price, compare-at price, stock, barcode, weight, brand,
   * category, tags), drawn from their own seed: the SKUs, names and descriptions stay the same.
   */
  commerce?: boolean;
}

/** The header of a catalog file with every commerce field (as the export names them). */
export const COMMERCE_COLUMNS = "price,compare_at_price,stock,barcode,weight_grams,brand,category,tags";

export const REAL_CATALOG: CatalogShape = { rows: 500_000, distinctSkus: 466_693, seed: 20261123 };

/**
 * The catalog a benchmark run uses: `BENCH_ROWS` rows (default the real 500,000), with the real
 * catalog's share of repeated SKUs, from the same seed.
 */
function benchCatalog(): CatalogShape {
  const given = process.env.BENCH_ROWS;
  const rows = given === undefined ? REAL_CATALOG.rows : Number(given);
  if (!Number.isInteger(rows) || rows < 1_000) throw new Error(`BENCH_ROWS must be a whole number of at least 1000, not "${given}"`);
  if (rows === REAL_CATALOG.rows) return REAL_CATALOG;
  return { ...REAL_CATALOG, rows, distinctSkus: Math.round((rows * REAL_CATALOG.distinctSkus) / REAL_CATALOG.rows) };
}

export const BENCH_CATALOG = benchCatalog();

function mulberry32(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  "able acid aged also area army away baby back ball band bank base bath bear beat been beer bell belt best bill bird " +
  "blow blue boat body bomb bond bone book boom born boss both bowl bulk burn bush busy call calm came camp card care " +
  "case cash cast cell chat chip city club coal coat code cold come cook cool cope copy core cost crew crop dark data " +
  "date dawn days dead deal dean dear debt deep deny desk dial diet disc disk does done door dose down draw drew drop " +
  "drug dual duke dust duty each earn ease east easy edge else even ever evil exit face fact fail fair fall farm fast " +
  "fate fear feed feel feet fell felt file fill film find fine fire firm fish five flat flow food foot ford form fort " +
  "four free from fuel full fund gain game gate gave gear gene gift girl give glad goal goes gold golf gone good gray " +
  "grew grey grow gulf hair half hall hand hang hard harm hate have head hear heat held hell help here hero high hill " +
  "hire hold hole holy home hope host hour huge hung hunt hurt idea inch into iron item jack jane jean john join jump " +
  "jury just keen keep kent kept kick kill kind king knee knew know lack lady laid lake land lane last late lead left " +
  "less life lift like line link list live load loan lock logo long look lord lose loss lost love luck made mail main " +
  "make male many mark mass matt meal mean meat meet menu mere mike mile milk mill mind mine miss mode mood moon more " +
  "most move much must name navy near neck need news next nice nick nine none nose note okay once only onto open oral " +
  "over pace pack page paid pain pair palm park part pass past path peak pick pink pipe plan play plot plug plus poll " +
  "pool poor port post pull pure push race rail rain rank rare rate read real rear rely rent rest rice rich ride ring " +
  "rise risk road rock role roll roof room root rose rule rush ruth safe said sake sale salt same sand save seat seed " +
  "seek seem seen self sell send sent sept ship shop shot show shut sick side sign site size skin slip slow snow soft " +
  "soil sold sole some song soon sort soul spot star stay step stop such suit sure take tale talk tall tank tape task " +
  "team tech tell tend term test text than that them then they thin this thus till time tiny told toll tone tony took " +
  "tool tour town tree trip true tune turn twin type unit upon used user vary vast very vice view vote wage wait wake " +
  "walk wall want ward warm wash wave ways weak wear week well went were west what when whom wide wife wild will wind " +
  "wine wing wire wise wish with wood word wore work yard yeah year your zero zone"
).split(" ");
const FIRST =
  "James Mary John Patricia Robert Jennifer Michael Linda William Elizabeth David Barbara Richard Susan Joseph Jessica Thomas Sarah Charles Karen Daniel Nancy Matthew Lisa Anthony Betty Mark Margaret Donald Sandra Steven Ashley Paul Kimberly Andrew Emily Joshua Donna Kenneth Michelle".split(
    " ",
  );
const LAST =
  "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores".split(
    " ",
  );

const BRANDS = Array.from({ length: 200 }, (_, index) => `${FIRST[index % FIRST.length]} & ${LAST[(index * 7) % LAST.length]}`);
const CATEGORIES = Array.from(
  { length: 300 },
  (_, index) => `${WORDS[index % 40]!.toUpperCase()} > ${WORDS[(index * 3) % WORDS.length]} > ${WORDS[(index * 11) % WORDS.length]}`,
);
const TAGS = WORDS.slice(100, 200);

/** A row's commerce cells, as a shop's export writes them (prices with two decimals, a few tags). */
function commerceCells(seed: number) {
  const random = mulberry32(seed ^ 0x5eed);
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
  return () => {
    const cents = 100 + Math.floor(random() * 50_000);
    const price = (cents / 100).toFixed(2);
    const compareAt = random() < 0.3 ? (Math.round(cents * 1.2) / 100).toFixed(2) : "";
    const stock = String(Math.floor(random() * 505) - 5);
    const barcode = String(4_000_000_000_000 + Math.floor(random() * 999_999_999_999));
    const weight = String(50 + Math.floor(random() * 4_950));
    const tags = Array.from({ length: Math.floor(random() * 5) }, () => pick(TAGS)).join(", ");
    return `${price},${compareAt},${stock},${barcode},${weight},${pick(BRANDS)},${pick(CATEGORIES)},"${tags}"`;
  };
}

export async function writeCatalogFile(path: string, shape: CatalogShape): Promise<void> {
  const random = mulberry32(shape.seed);
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
  const repeats = shape.rows - shape.distinctSkus;
  // Exactly `repeats` rows re-use an earlier SKU; choose which ones up front.
  const isRepeat = new Uint8Array(shape.rows);
  for (let placed = 0; placed < repeats;) {
    const row = 1 + Math.floor(random() * (shape.rows - 1));
    if (!isRepeat[row]) {
      isRepeat[row] = 1;
      placed += 1;
    }
  }
  const used = new Set<string>();
  const skus: string[] = [];
  const freshSku = () => {
    for (;;) {
      const words = 1 + Math.floor(random() * 4);
      const sku = Array.from({ length: words }, () => pick(WORDS)).join("-");
      if (!used.has(sku)) {
        used.add(sku);
        skus.push(sku);
        return sku;
      }
    }
  };
  const sentence = () => {
    const words = Array.from({ length: 4 + Math.floor(random() * 6) }, () => pick(WORDS));
    if (random() < 0.4) words[1] = `${words[1]},`;
    if (random() < 0.15) words[2] = `""${words[2]}""`;
    const text = words.join(" ");
    return `${text[0]!.toUpperCase()}${text.slice(1)}.`;
  };

  // Written aside and renamed: a run stopped half-way must not leave a truncated file that later runs take for the catalog.
  const partial = `${path}.partial`;
  const out = createWriteStream(partial);
  const commerce = shape.commerce ? commerceCells(shape.seed) : null;
  let buffer = `name,sku,description${commerce ? `,${COMMERCE_COLUMNS}` : ""}\n`;
  for (let row = 0; row < shape.rows; row += 1) {
    let sku: string;
    if (isRepeat[row]) {
      sku = pick(skus);
      const style = random();
      if (style < 1 / 3) sku = random() < 0.5 ? sku.toUpperCase() : sku.replace(/(^|-)([a-z])/g, (m) => m.toUpperCase());
    } else {
      sku = freshSku();
    }
    const name = `${pick(FIRST)} ${pick(LAST)}${shape.nameSuffix ?? ""}`;
    const sentences = Array.from({ length: 1 + Math.floor(random() * 4) }, sentence);
    const description = random() < 0.133 && sentences.length > 1 ? `${sentences[0]}\n${sentences.slice(1).join(" ")}` : sentences.join(" ");
    buffer += `${name},${sku},"${description}"${commerce ? `,${commerce()}` : ""}\n`;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, "drain");
      buffer = "";
    }
  }
  out.end(buffer);
  await once(out, "finish");
  renameSync(partial, path);
}
