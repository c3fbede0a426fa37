import { sql } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { recordedEvents, refusalOf, startTestApp, type TestApp } from "../support/test-app.js";

/**
 * A product's group, options and images through the API (CONTRACT.md "Variants and images"):
 * taken, refused with the field named, filtered and sorted, carried by product events.
 */

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.stop());
beforeEach(async () => {
  await app.resetCatalog();
  await sql`TRUNCATE events`.execute(app.database.db);
});

const refusal = (procedure: string, input: unknown) => refusalOf(app, procedure, input);
const IMAGE = "https://cdn.example.com/tee/navy-front.jpg";

const tee = (sku: string, size: string, extra: Record<string, unknown> = {}) =>
  app.api.products.create.mutate({
    sku,
    name: `Tee ${size}`,
    group: "classic-tee",
    options: [
      { name: "Size", value: size },
      { name: "Color", value: "Navy" },
    ],
    images: [IMAGE],
    ...extra,
  });

describe("products.create and update", () => {
  it("takes a group, options and images, gives them back, and puts them in product.created", async () => {
    const product = await tee("TEE-M", "M", { images: [` ${IMAGE} `, "http://cdn.example.com/tee/navy-back.jpg", IMAGE] });
    expect(product).toMatchObject({
      group: "classic-tee",
      options: [
        { name: "Size", value: "M" },
        { name: "Color", value: "Navy" },
      ],
      images: [IMAGE, "http://cdn.example.com/tee/navy-back.jpg"],
    });
    expect(await app.api.products.get.query({ id: product.id })).toEqual(product);
    expect(await recordedEvents(app)).toEqual([{ type: "product.created", data: product }]);
  });

  it("leaves them empty when not given, and clears them with null or an empty list", async () => {
    const bare = await app.api.products.create.mutate({ sku: "BARE", name: "Bare" });
    expect(bare).toMatchObject({ group: null, options: [], images: [] });
    const product = await tee("TEE-L", "L");
    const cleared = await app.api.products.update.mutate({ id: product.id, group: null, options: [], images: null });
    expect(cleared).toMatchObject({ group: null, options: [], images: [] });
    const events = await recordedEvents(app);
    expect(events.at(-1)!.data.previous).toEqual({ group: "classic-tee", options: product.options, images: [IMAGE] });
  });

  it("refuses what the importer's rules refuse, naming the field", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ options: [{ name: "", value: "M" }] }, "options: option 1 needs a name and a value"],
      [{ options: [{ name: "Size", value: "" }] }, "options: option 1 needs a name and a value"],
      [{ options: ["a", "b", "c", "d"].map((name) => ({ name, value: "x" })) }, "options: at most 3"],
      [
        {
          options: [
            { name: "Size", value: "M" },
            { name: "size", value: "L" },
          ],
        },
        'options: option "size" is named twice',
      ],
      [{ images: ["ftp://cdn.example.com/a.jpg"] }, 'images: "ftp://cdn.example.com/a.jpg" is not an http or https URL'],
      [{ images: ["/media/a.jpg"] }, 'images: "/media/a.jpg" is a relative path'],
      [{ images: [`https://cdn.example.com/${"a".repeat(2048)}.jpg`] }, "characters long; the limit is 2048"],
      [{ images: Array.from({ length: 51 }, (_, at) => `https://cdn.example.com/${at}.jpg`) }, "images: at most 50"],
      [{ group: "g".repeat(256) }, "group"],
    ];
    for (const [extra, message] of cases) {
      const refused = await refusal("products.create", { sku: "BAD", name: "Bad", ...extra });
      expect(refused.code, JSON.stringify(extra).slice(0, 80)).toBe("BAD_REQUEST");
      expect(refused.message).toContain(message);
    }
    expect((await app.api.products.list.query({})).total).toBe(0);
  });
});

describe("products.list", () => {
  it("filters by a group in any case and by whether a product has images, and sorts by group", async () => {
    await tee("TEE-S", "S");
    await tee("TEE-M", "M", { images: [] });
    await app.api.products.create.mutate({ sku: "CAP", name: "Cap", group: "Baseball-Cap" });
    await app.api.products.create.mutate({ sku: "MUG", name: "Mug" });
    const skus = async (input: Record<string, unknown>) => (await app.api.products.list.query(input)).items.map((product) => product.sku);
    expect(await skus({ group: "CLASSIC-TEE" })).toEqual(["TEE-S", "TEE-M"]);
    expect(await skus({ group: "classic" })).toEqual([]);
    expect(await skus({ hasImages: true })).toEqual(["TEE-S"]);
    expect(await skus({ hasImages: false })).toEqual(["TEE-M", "CAP", "MUG"]);
    expect(await skus({ sort: "group" })).toEqual(["CAP", "TEE-S", "TEE-M", "MUG"]);
    // Without a group comes last in both orders, as products without a brand do.
    expect(await skus({ sort: "group", order: "desc" })).toEqual(["TEE-M", "TEE-S", "CAP", "MUG"]);
    expect(await app.api.products.count.query({ group: "classic-tee", hasImages: false })).toEqual({ count: 1 });
  });
});

describe("products.groups", () => {
  const lines = async (input: Record<string, unknown> = {}) => {
    const page = await app.api.products.groups.query(input);
    return {
      lines: page.items.map((line) => [line.group, line.variantCount, line.variants.map((variant) => variant.sku).join(" ")]),
      total: page.totalExact ? page.total : `${page.total}+`,
      products: page.products.total,
    };
  };

  it("lists a group once, where its first variant stands, with its variants and their count", async () => {
    await tee("TEE-S", "S");
    await app.api.products.create.mutate({ sku: "MUG", name: "Mug", price: "9.00" });
    await tee("TEE-M", "M", { price: "21.00" });
    await app.api.products.create.mutate({ sku: "CAP-1", name: "Cap", group: "Cap", price: "5.00" });
    await tee("TEE-L", "L", { group: "CLASSIC-TEE", price: "30.00" });
    expect(await lines()).toEqual({
      lines: [
        ["classic-tee", 3, "TEE-S TEE-M TEE-L"],
        [null, 1, "MUG"],
        ["Cap", 1, "CAP-1"],
      ],
      total: 3,
      products: 5,
    });
    // Sorted, a group stands where its first variant (TEE-S) does; paged by lines.
    expect((await lines({ sort: "sku" })).lines.map(([group]) => group)).toEqual(["Cap", null, "classic-tee"]);
    expect((await lines({ sort: "price", order: "desc" })).lines.map(([group]) => group)).toEqual([null, "Cap", "classic-tee"]);
    expect((await lines({ pageSize: 2, page: 2 })).lines).toEqual([["Cap", 1, "CAP-1"]]);
  });

  it("filters variants: a group is listed when any of them matches, with those that do, out of how many it has", async () => {
    await tee("TEE-S", "S", { price: "10.00" });
    await tee("TEE-M", "M", { price: "20.00" });
    await tee("TEE-L", "L", { price: "30.00" });
    await app.api.products.create.mutate({ sku: "MUG", name: "Mug", price: "25.00" });
    expect(await lines({ priceMin: "15" })).toEqual({
      lines: [
        ["classic-tee", 3, "TEE-M TEE-L"],
        [null, 1, "MUG"],
      ],
      // Few matching products: their lines are counted.
      total: 2,
      products: 3,
    });
    expect(await lines({ priceMax: "5" })).toEqual({ lines: [], total: 0, products: 0 });
  });

  it("counts the catalog's lines again after every change", async () => {
    await tee("TEE-S", "S");
    await tee("TEE-M", "M");
    expect((await lines()).total).toBe(1);
    const mug = await app.api.products.create.mutate({ sku: "MUG", name: "Mug" });
    expect((await lines()).total).toBe(2);
    await app.api.products.update.mutate({ id: mug.id, group: "classic-tee" });
    expect(await lines()).toEqual({ lines: [["classic-tee", 3, "TEE-S TEE-M MUG"]], total: 1, products: 3 });
  });
});
