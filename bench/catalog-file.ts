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
  /** Three fields of the team's own after them (CUSTOM_FIELDS: a text, a choice and a number), with the commerce fields. */
  customFields?: boolean;
}

/** The fields of one's own a catalog file with `customFields` fills, as fields.create takes them (columns named by their keys). */
export const CUSTOM_FIELDS = [
  { key: "material", label: "Material", type: "text" },
  { key: "fit", label: "Fit", type: "choice", options: ["Slim", "Regular", "Relaxed", "Oversized"] },
  { key: "width_cm", label: "Width (cm)", type: "number" },
] as const;

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

/**
 * Draws ranks 0..n-1, rank r with weight 1/(r+1)^s (Zipf's law: a few values on much of the
 * catalog, most on a few hundred products or fewer), from a uniform draw in [0, 1).
 */
function zipfRanks(n: number, s: number) {
  const cumulative = new Float64Array(n);
  let sum = 0;
  for (let rank = 0; rank < n; rank += 1) cumulative[rank] = sum += 1 / (rank + 1) ** s;
  return (uniform: number) => {
    const target = uniform * sum;
    let [low, high] = [0, n - 1];
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (cumulative[middle]! <= target) low = middle + 1;
      else high = middle;
    }
    return low;
  };
}

/** A fixed shuffle, so that how common a value is has nothing to do with where it sorts. */
const shuffled = <T>(list: T[], step: number) => list.map((_, index) => list[(index * step + 7) % list.length]!);
const capitalized = (word: string) => `${word[0]!.toUpperCase()}${word.slice(1)}`;

const BRAND_STARTS = "Nord Alpen Blue Iron Silver Oak River Sun Stone Maple Coral Ever Fox High Lumen Pine Red True Wild Glen".split(" ");
const BRAND_ENDS = "wick field craft works line gear ware well mark ton haven ridge wood berg dale form point light vale mont".split(" ");
/** 400 brands, most common first (Zipf, s = 1: the first on ~15% of products, the last on ~0.04%). */
const BRANDS_BY_RANK = shuffled(
  BRAND_STARTS.flatMap((start) => BRAND_ENDS.map((end) => `${start}${end}`)),
  149,
);

/** Departments, their subcategories, and under half of those a third level: paths as the catalog stores them. */
const DEPARTMENTS = "Apparel,Home & Kitchen,Electronics,Garden,Toys & Games,Sports,Beauty,Books,Grocery,Office,Automotive,Pet Supplies".split(",");
const CATEGORY_PATHS = [
  ...new Set(
    DEPARTMENTS.flatMap((department, d) =>
      Array.from({ length: 4 + (d % 5) }, (_, s) => {
        const sub = `${department} > ${capitalized(WORDS[(d * 37 + s * 11) % WORDS.length]!)}`;
        const leaves = (d + s) % 2 === 0 ? 3 + ((d + s) % 4) : 0;
        // A product may sit on a subcategory that has children, as shops file some.
        return [sub, ...Array.from({ length: leaves }, (_, l) => `${sub} > ${capitalized(WORDS[(d * 53 + s * 17 + l * 7 + 200) % WORDS.length]!)}`)];
      }).flat(),
    ),
  ),
];
/** The category paths, most common first (Zipf, s = 0.8). */
const CATEGORIES_BY_RANK = shuffled(CATEGORY_PATHS, 97);

/** 300 tags, most common first (Zipf, s = 1: the first on ~40% of products, each of which has 1–5). */
const TAGS_BY_RANK = shuffled(WORDS.slice(60, 360), 107);

/**
 * Values the catalog benchmark filters by, taken from the distributions above: the most and the
 * least common brand and tag, the most common path's department and the subtree above it.
 */
const commonPath = CATEGORIES_BY_RANK.find((path) => path.split(" > ").length === 3)!;
export const COMMERCE_SAMPLES = {
  commonBrand: BRANDS_BY_RANK[0]!,
  rareBrand: BRANDS_BY_RANK.at(-1)!,
  department: commonPath.split(" > ")[0]!,
  subcategory: commonPath.split(" > ").slice(0, 2).join(" > "),
  commonTag: TAGS_BY_RANK[0]!,
  rareTag: TAGS_BY_RANK.at(-1)!,
} as const;

/** A value between `min` and `max`, log-uniform: as many under 10 as between 100 and 1,000. */
const logUniform = (uniform: number, min: number, max: number) => min * (max / min) ** uniform;

/**
 * A row's commerce cells, as a shop's export writes them: prices from 0.99 to 5,000 (log-uniform,
 * most ending in .99), a third with a compare-at price; ~10% out of stock (a few backordered);
 * brands, categories and tags skewed as above (tags capitalized by some suppliers); a few products
 * without a price, stock, brand or category.
 */
function commerceCells(seed: number) {
  const random = mulberry32(seed ^ 0x5eed);
  const brandRank = zipfRanks(BRANDS_BY_RANK.length, 1);
  const categoryRank = zipfRanks(CATEGORIES_BY_RANK.length, 0.8);
  const tagRank = zipfRanks(TAGS_BY_RANK.length, 1);
  const sometimes = (share: number, value: () => string) => (random() < share ? "" : value());
  const price = () => {
    const value = logUniform(random(), 0.99, 5_000);
    return (random() < 0.6 ? Math.floor(value) + 0.99 : Math.round(value * 100) / 100).toFixed(2);
  };
  const stock = () => {
    const draw = random();
    if (draw < 0.08) return "0";
    if (draw < 0.1) return String(-1 - Math.floor(random() * 20));
    return String(Math.floor(logUniform(random(), 1, 2_000)));
  };
  const tags = () => {
    const chosen = new Set<string>();
    for (const count = 1 + Math.floor(random() * 5); chosen.size < count;) chosen.add(TAGS_BY_RANK[tagRank(random())]!);
    return [...chosen].map(random() < 0.2 ? capitalized : (tag: string) => tag).join(", ");
  };
  return () => {
    const listed = sometimes(0.01, price);
    const compareAt = listed && random() < 0.3 ? (Number(listed) * (1.1 + random() * 0.5)).toFixed(2) : "";
    const barcode = String(4_000_000_000_000 + Math.floor(random() * 999_999_999_999));
    const weight = String(Math.round(logUniform(random(), 5, 30_000)));
    const brand = sometimes(0.03, () => BRANDS_BY_RANK[brandRank(random())]!);
    const category = sometimes(0.03, () => CATEGORIES_BY_RANK[categoryRank(random())]!);
    return `${listed},${compareAt},${sometimes(0.01, stock)},${barcode},${weight},${brand},${category},"${tags()}"`;
  };
}

const MATERIALS = ["Cotton", "Organic cotton", "Wool", "Merino wool", "Linen", "Silk", "Polyester", "Recycled polyester", "Leather", "Denim"];

/** A row's custom-field cells: a material for nine in ten, a fit skewed towards Regular, a width with one decimal. */
function customCells(seed: number) {
  const random = mulberry32(seed ^ 0xf1e1d);
  const fits = CUSTOM_FIELDS[1].options;
  return () => {
    const material = random() < 0.1 ? "" : MATERIALS[Math.floor(random() * MATERIALS.length)]!;
    const draw = random();
    const fit = draw < 0.05 ? "" : fits[draw < 0.55 ? 1 : draw < 0.75 ? 0 : draw < 0.92 ? 2 : 3]!;
    const width = (Math.round(logUniform(random(), 1, 300) * 10) / 10).toFixed(1);
    return `${material},${fit},${width}`;
  };
}

/**
 * The file name of a catalog with every commerce field and the three fields of one's own (its
 * values as drawn above: a new draw is a new name). The import and catalog benchmarks share it.
 */
export const commerceCatalogName = (shape: CatalogShape) => `catalog-${shape.rows}-${shape.seed}-v3-commerce-custom.csv`;

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
  const custom = shape.customFields ? customCells(shape.seed) : null;
  const customHeader = custom ? `,${CUSTOM_FIELDS.map((field) => field.key).join(",")}` : "";
  let buffer = `name,sku,description${commerce ? `,${COMMERCE_COLUMNS}` : ""}${customHeader}\n`;
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
    buffer += `${name},${sku},"${description}"${commerce ? `,${commerce()}` : ""}${custom ? `,${custom()}` : ""}\n`;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, "drain");
      buffer = "";
    }
  }
  out.end(buffer);
  await once(out, "finish");
  renameSync(partial, path);
}
