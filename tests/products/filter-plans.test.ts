import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { importCsv, startTestApp, type TestApp } from "../support/test-app.js";

/**
 * Text filters matched by most products and by a handful (Postgres reads them through different
 * plans: the trigram index, the id order, a scan for one or two letters) must give the answer a
 * plain reading of the catalog gives: the same products, in id order, page by page.
 */
let app: TestApp;
const ROWS = 6_000;

beforeAll(async () => {
  app = await startTestApp();
  // Every other product says "dense"; five say "sparse"; every tenth is inactive.
  const lines = Array.from({ length: ROWS }, (_, index) => {
    const words = [`Product ${index}`, index % 2 === 0 ? "dense" : "plain", index % 1_200 === 7 ? "sparse" : ""];
    return `PLAN-${String(index).padStart(5, "0")},${words.join(" ").trim()},${index % 3 === 0 ? "dense described" : "other"},${index % 10 === 0 ? "no" : "yes"}`;
  });
  await importCsv(app, ["sku,name,description,active", ...lines].join("\n"));
  await app.searchIndexesSettled();
  await sql`ANALYZE products`.execute(app.database.db);
});
afterAll(() => app?.stop());

async function expected(where: (product: { name: string; description: string; active: boolean }) => boolean) {
  const { rows } = await sql<{ id: string; name: string; description: string; active: boolean }>`
    SELECT id::text, name, description, active FROM products ORDER BY products.id`.execute(app.database.db);
  return rows.filter(where).map((row) => row.id);
}

async function listed(input: Record<string, unknown>, pageSize = 200) {
  const ids: string[] = [];
  let total: number;
  for (let page = 1; ; page += 1) {
    const answer = await app.api.products.list.query({ ...input, page, pageSize });
    total = answer.total;
    expect(answer.totalExact).toBe(true);
    ids.push(...answer.items.map((item) => item.id));
    if (answer.items.length < pageSize) break;
  }
  return { ids, total };
}

describe("a text filter", () => {
  it.each([
    ["matched by half the catalog (dense)", { name: "dense" }, (p: { name: string }) => p.name.includes("dense")],
    ["matched by five products (sparse)", { name: "sparse" }, (p: { name: string }) => p.name.includes("sparse")],
    [
      "dense, with another text filter and the active flag",
      { name: "dense", description: "described", active: false },
      (p: { name: string; description: string; active: boolean }) => p.name.includes("dense") && p.description.includes("described") && !p.active,
    ],
    ["dense in a short form (two letters)", { description: "de" }, (p: { description: string }) => p.description.includes("de")],
  ] as const)("%s lists exactly the matching products, in id order, on every page", async (_label, input, where) => {
    const want = await expected(where as (p: { name: string; description: string; active: boolean }) => boolean);
    expect(want.length).toBeGreaterThan(0);
    const got = await listed(input);
    expect(got.total).toBe(want.length);
    expect(got.ids).toEqual(want);
  });

  it("says more than 10,000 when a dense filter matches more, with full pages past the start", async () => {
    const lines = Array.from({ length: 14_000 }, (_, index) => `MANY-${index},Many dense ${index}`);
    await importCsv(app, ["sku,name", ...lines].join("\n"));
    await app.searchIndexesSettled();
    const first = await app.api.products.list.query({ name: "dense", pageSize: 100 });
    expect(first).toMatchObject({ total: 10_000, totalExact: false });
    expect(first.items).toHaveLength(100);
    const deep = await app.api.products.list.query({ name: "dense", page: 150, pageSize: 100 });
    expect(deep.items).toHaveLength(100);
    expect(deep.items.every((item) => item.name.includes("dense"))).toBe(true);
  });
});
