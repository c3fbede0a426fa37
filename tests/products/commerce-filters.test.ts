import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import type { productListInput } from "../../server/products/product.schema.js";
import { importCsv, refusalOf, startTestApp, type TestApp } from "../support/test-app.js";

/**
 * products.list's filters and sorts on the commerce fields (CONTRACT.md "Typed fields"), against a
 * small catalog whose answers each test computes from the catalog itself; the export and a bulk
 * action take the same filters.
 */

let app: TestApp;

interface Seed {
  sku: string;
  price: string | null;
  stock: number | null;
  brand: string | null;
  category: string | null;
  tags: string[];
  barcode: string | null;
}

const BRANDS = ["Acme", "Northwind Traders", "acme outlet", null];
const CATEGORIES = ["Apparel > Shirts", "Apparel > Shirts > Tees", "Apparel", "Apparel Outlet", "Home > Kitchen", null];
const TAGS = [["summer"], ["Summer", "sale"], [], ["winter", "sale"], ["summertime"]];

/** 40 products spread over every value, and every field missing somewhere. */
const SEEDS: Seed[] = Array.from({ length: 40 }, (_, i) => ({
  sku: `item-${String(i).padStart(2, "0")}`,
  price: i % 7 === 3 ? null : `${(i * 3.75) % 100}`.replace(/^(\d+)$/, "$1.00"),
  stock: i % 9 === 4 ? null : (i % 11) - 2,
  brand: BRANDS[i % BRANDS.length]!,
  category: CATEGORIES[i % CATEGORIES.length]!,
  tags: TAGS[i % TAGS.length]!,
  barcode: i % 5 === 0 ? null : `40000000${String(i).padStart(5, "0")}`,
}));

beforeAll(async () => {
  app = await startTestApp();
  for (const seed of SEEDS) await app.api.products.create.mutate({ name: `Product ${seed.sku}`, ...seed });
}, 60_000);
afterAll(() => app?.stop());

const stored = async () => (await app.api.products.list.query({ pageSize: 200 })).items;
const listed = async (input: Omit<z.input<typeof productListInput>, "page" | "pageSize">) =>
  (await app.api.products.list.query({ pageSize: 200, ...input })).items.map((product) => product.sku);
const skusWhere = async (keep: (product: Awaited<ReturnType<typeof stored>>[number]) => boolean) =>
  (await stored())
    .filter(keep)
    .map((product) => product.sku)
    .sort();

describe("filters", () => {
  it("narrow by a price range, bounds included, exactly as decimals compare", async () => {
    const expected = await skusWhere((p) => p.price !== null && Number(p.price) >= 10 && Number(p.price) <= 48.75);
    expect(expected.length).toBeGreaterThan(3);
    expect((await listed({ priceMin: "10", priceMax: "48.75" })).sort()).toEqual(expected);
    expect((await listed({ priceMin: "10,00", priceMax: 48.75 })).sort()).toEqual(expected);
  });

  it("narrow by stock: out of stock (at most 0), at most N, at least N", async () => {
    expect((await listed({ stockMax: 0 })).sort()).toEqual(await skusWhere((p) => p.stock !== null && p.stock <= 0));
    expect((await listed({ stockMax: 3 })).sort()).toEqual(await skusWhere((p) => p.stock !== null && p.stock <= 3));
    expect((await listed({ stockMin: 5 })).sort()).toEqual(await skusWhere((p) => p.stock !== null && p.stock >= 5));
  });

  it("narrow by brand (contains, any case), a category path and everything under it, a tag (any case), a barcode", async () => {
    expect((await listed({ brand: "ACME" })).sort()).toEqual(await skusWhere((p) => (p.brand ?? "").toLowerCase().includes("acme")));
    const apparel = await skusWhere((p) => p.category === "Apparel" || (p.category ?? "").startsWith("Apparel > "));
    expect((await listed({ category: "apparel" })).sort()).toEqual(apparel);
    expect(apparel.some((sku) => SEEDS.find((seed) => seed.sku === sku)!.category === "Apparel > Shirts > Tees")).toBe(true);
    expect((await listed({ category: "Apparel>Shirts" })).sort()).toEqual(
      await skusWhere((p) => p.category === "Apparel > Shirts" || (p.category ?? "").startsWith("Apparel > Shirts > ")),
    );
    expect((await listed({ tag: "SUMMER" })).sort()).toEqual(await skusWhere((p) => p.tags.some((tag) => tag.toLowerCase() === "summer")));
    const [withBarcode] = SEEDS.filter((seed) => seed.barcode);
    expect(await listed({ barcode: withBarcode!.barcode! })).toEqual([withBarcode!.sku]);
  });

  it("combine, and count what they match", async () => {
    const expected = await skusWhere((p) => p.tags.some((tag) => tag.toLowerCase() === "sale") && p.stock !== null && p.stock > 0);
    expect((await listed({ tag: "sale", stockMin: 1 })).sort()).toEqual(expected);
    expect(await app.api.products.count.query({ tag: "sale", stockMin: 1 })).toEqual({ count: expected.length });
    expect((await app.api.products.list.query({ tag: "sale", stockMin: 1 })).total).toBe(expected.length);
  });

  it("answer a page past the last match with no products and the same total", async () => {
    const expected = await skusWhere((p) => (p.brand ?? "").toLowerCase().includes("acme"));
    for (const order of ["asc", "desc"] as const) {
      const deep = await app.api.products.list.query({ brand: "acme", sort: "price", order, page: 5_000, pageSize: 50 });
      expect(deep).toMatchObject({ items: [], total: expected.length, totalExact: true });
    }
  });

  it("refuse a bound that is not a number, naming it", async () => {
    const refused = await refusalOf(app, "products.list", { priceMin: "cheap" });
    expect(refused.code).toBe("BAD_REQUEST");
    expect(refused.message).toContain("priceMin");
    expect((await refusalOf(app, "products.list", { stockMax: 1.5 })).message).toContain("stockMax must be a whole number");
  });

  it("select what the export writes", async () => {
    const csv = await (await fetch(`${app.url}/api/products/export?tag=sale&stockMin=1`)).text();
    const exported = csv
      .trim()
      .split("\n")
      .slice(1)
      .map((line) => line.split(",")[0])
      .sort();
    expect(exported).toEqual(await skusWhere((p) => p.tags.some((tag) => tag.toLowerCase() === "sale") && p.stock !== null && p.stock > 0));
    expect((await fetch(`${app.url}/api/products/export?stockMin=some`)).status).toBe(400);
  });

  it("select what a bulk action changes, and its event names the filter", async () => {
    const expected = await skusWhere((p) => p.brand === "Northwind Traders" && p.active);
    const outcome = await app.api.products.bulkUpdate.mutate({ filter: { brand: "northwind" }, set: { active: false } });
    expect(outcome.updated).toBe(expected.length);
    expect((await listed({ brand: "northwind", active: false })).sort()).toEqual(expected);
    await app.api.products.bulkUpdate.mutate({ filter: { brand: "northwind" }, set: { active: true } });
  });
});

describe("sorts", () => {
  const compare = (a: number | string, b: number | string) => (a < b ? -1 : a > b ? 1 : 0);
  /** The catalog sorted by `key` in `order`, products without a value last in both orders, ties by id. */
  async function expectedOrder(key: (p: Awaited<ReturnType<typeof stored>>[number]) => number | string | null, order: "asc" | "desc") {
    const products = await stored();
    const sign = order === "asc" ? 1 : -1;
    return [...products]
      .sort((a, b) => {
        const [x, y] = [key(a), key(b)];
        if (x === null || y === null) return x === y ? sign * compare(Number(a.id), Number(b.id)) : x === null ? 1 : -1;
        return sign * (compare(x, y) || compare(Number(a.id), Number(b.id)));
      })
      .map((product) => product.sku);
  }

  it.each(["asc", "desc"] as const)("by price and by stock, %s, with products lacking them last", async (order) => {
    expect(await listed({ sort: "price", order })).toEqual(await expectedOrder((p) => (p.price === null ? null : Number(p.price)), order));
    expect(await listed({ sort: "stock", order })).toEqual(await expectedOrder((p) => p.stock, order));
  });

  it.each(["asc", "desc"] as const)(
    "page by page, %s, the same order: no product repeated or skipped where those lacking a value begin",
    async (order) => {
      const whole = await expectedOrder((p) => (p.price === null ? null : Number(p.price)), order);
      const paged: string[] = [];
      for (let page = 1; page <= Math.ceil(whole.length / 3); page += 1) {
        const { items } = await app.api.products.list.query({ sort: "price", order, page, pageSize: 3 });
        paged.push(...items.map((product) => product.sku));
      }
      expect(paged).toEqual(whole);
      const filtered = (await expectedOrder((p) => (p.price === null ? null : Number(p.price)), order)).filter((sku) =>
        SEEDS.find((seed) => seed.sku === sku)!
          .brand?.toLowerCase()
          .includes("acme"),
      );
      const second = await app.api.products.list.query({ brand: "acme", sort: "price", order, page: 2, pageSize: filtered.length - 2 });
      expect(second.items.map((product) => product.sku)).toEqual(filtered.slice(filtered.length - 2));
    },
  );

  it("by brand and by category, products lacking them last", async () => {
    for (const sort of ["brand", "category"] as const) {
      const skus = await listed({ sort });
      const values = await Promise.all(skus.map(async (sku) => SEEDS.find((seed) => seed.sku === sku)![sort]));
      const firstMissing = values.indexOf(null);
      expect(firstMissing).toBeGreaterThan(0);
      expect(values.slice(firstMissing).every((value) => value === null)).toBe(true);
      const present = values.slice(0, firstMissing) as string[];
      expect(present).toEqual([...present].sort((a, b) => a.localeCompare(b, "en", { sensitivity: "base" }) || compare(a, b)));
    }
  });

  it("by brand and by category descending, products lacking them still last, ties newest first", async () => {
    for (const sort of ["brand", "category"] as const) {
      const products = await stored();
      const expected = [...products]
        .sort((a, b) => {
          const [x, y] = [a[sort], b[sort]];
          if (x === null || y === null) return x === y ? compare(Number(b.id), Number(a.id)) : x === null ? 1 : -1;
          return y.localeCompare(x, "en", { sensitivity: "base" }) || compare(y, x) || compare(Number(b.id), Number(a.id));
        })
        .map((product) => product.sku);
      expect(await listed({ sort, order: "desc" })).toEqual(expected);
    }
  });
});

describe("values that mean something to SQL", () => {
  const ODD = [
    { sku: "odd-1", tags: ["NULL", "Été"], category: "Sale 50% > Shoes" },
    { sku: "odd-2", tags: ['Say "hi"', "{braces}"], category: "Sale 50X > Shoes" },
    { sku: "odd-3", tags: ["back\\slash", "null-ish"], category: "Sale_50% > Hats" },
  ];

  it("are found literally: a tag in any case whatever it holds, a category path holding % or _", async () => {
    const created = [];
    for (const odd of ODD) created.push(await app.api.products.create.mutate({ name: `Odd ${odd.sku}`, ...odd }));
    try {
      const withTag = (tag: string) => ODD.filter((odd) => odd.tags.some((held) => held.toLowerCase() === tag.toLowerCase())).map((odd) => odd.sku);
      for (const tag of ["null", "ÉTÉ", 'SAY "HI"', "{Braces}", "BACK\\SLASH", "say", "back"])
        expect(await listed({ tag }), tag).toEqual(withTag(tag));
      expect(withTag("null")).toEqual(["odd-1"]);
      expect(await listed({ category: "sale 50%" })).toEqual(["odd-1"]);
      expect(await listed({ category: "SALE_50%" })).toEqual(["odd-3"]);
      expect(await listed({ category: "sale 50" })).toEqual([]);
      expect(await listed({ category: "Sale 50% > shoes" })).toEqual(["odd-1"]);
    } finally {
      for (const product of created) await app.api.products.delete.mutate({ id: product.id });
    }
  });
});

describe("a catalog of more than a thousand brands", () => {
  it("counts a brand filter's matches the same way: every brand holding the text, in any case", async () => {
    const brands = Array.from({ length: 1_200 }, (_, i) => `Maker ${String(i).padStart(4, "0")}`);
    const lines = brands.map((brand, i) => `many-${i},Many ${i},${brand}`);
    await importCsv(app, ["sku,name,brand", ...lines].join("\n"));
    try {
      for (const text of ["maker 1", "MAKER 1199", "aker 00"]) {
        const expected = brands.filter((brand) => brand.toLowerCase().includes(text.toLowerCase())).length;
        expect(expected).toBeGreaterThan(0);
        expect(await app.api.products.list.query({ brand: text, pageSize: 5 }), text).toMatchObject({ total: expected, totalExact: true });
      }
    } finally {
      await app.api.products.bulkDelete.mutate({ filter: { sku: "many-" } });
    }
  });
});
