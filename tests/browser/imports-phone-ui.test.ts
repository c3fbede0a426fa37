import { afterAll, beforeAll, expect, it } from "vitest";
import pg from "pg";
import type { Browser, Page } from "playwright-core";
import { apiClient, type ApiClient } from "../support/api-client.js";
import { startAppProcess, type AppProcess } from "../support/app-process.js";
import { cspViolations, launchBrowser } from "../support/browser.js";
import { shopifyClassicExport } from "../support/supplier-files.js";
import { createTestDatabase } from "../support/test-database.js";

/**
 * The Imports page with a real history of twelve imports (completed, failed, held for review, one
 * reviewed for an hour before it was applied) and two saved mappings: compact cards on a phone, the
 * table on a laptop, each import's duration its apply's own time, each saved mapping's platform named.
 */

const PHONE = { width: 390, height: 844 };
const LAPTOP = { width: 1280, height: 800 };
/** The phone page with twelve imports was 5,128 px tall when each import was a stack of labelled cells. */
const PHONE_PAGE_HEIGHT_LIMIT = 2_000;
/** A card of two lines is about 55 px; three lines would still pass, a stack of labelled cells (150 px and more) not. */
const CARD_HEIGHT_LIMIT = 80;

let server: AppProcess;
let client: ApiClient;
let browser: Browser;
let databaseUrl: string;
/** The import that waited an hour in review before it was applied. */
let reviewedForAnHourId = "";

const csv = (rows: string[][]) => rows.map((row) => row.join(",")).join("\n") + "\n";

async function upload(content: string | Buffer, filename: string, options: Record<string, string> = {}, expected = 202): Promise<string> {
  const form = new FormData();
  for (const [key, value] of Object.entries(options)) form.append(key, value);
  form.append("file", new Blob([typeof content === "string" ? content : new Uint8Array(content)], { type: "text/csv" }), filename);
  const response = await fetch(`${server.url}/api/imports`, { method: "POST", body: form });
  const body = (await response.json()) as { id?: string };
  if (response.status !== expected || !body.id) throw new Error(`upload of ${filename} answered ${response.status}: ${JSON.stringify(body)}`);
  return body.id;
}

const catalogRows = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, i) => [`${prefix}-${i + 1}`, `Product ${prefix} ${i + 1}`, "A plain description", "yes"]);

async function seed() {
  const header = ["sku", "name", "description", "active"];
  // Six completed imports with the file names suppliers send.
  for (const [n, filename] of [
    "supplier-catalogue-2024-autumn-full-export.csv",
    "price-update-week-12.csv",
    "warehouse-rotterdam-stock-sync-2025-03-14.csv",
    "spring-collection-2025-final-v3-approved-by-marketing.csv",
    "discontinued-items.csv",
    "erp-nightly-export-00042.csv",
  ].entries()) {
    await client.waitForImport(await upload(csv([header, ...catalogRows(`F${n}`, 20)]), filename));
  }
  // One that cannot be read (refused, recorded as failed), one still held for review.
  await client.waitForImport(await upload('sku,name\nok-1,Fine\nbad-2,"An unterminated quote\n', "broken-export-from-the-old-erp.csv", {}, 400));
  const held = await upload(csv([header, ...catalogRows("F1", 20)]), "price-update-week-13.csv", { review: "1" });
  await client.waitForImport(held, (item) => item.status === "review");
  // With rejected rows.
  await client.waitForImport(
    await upload(csv([header, ...catalogRows("R", 3), ["", "No SKU", "", "yes"]]), "supplier-file-with-a-row-without-sku.csv"),
  );
  // Read through a chosen mapping (columns of its own: saved without a platform).
  await client.waitForImport(
    await upload(
      csv([
        ["Artikelnummer", "Bezeichnung"],
        ["DE-1", "Schreibtisch"],
      ]),
      "lieferant-artikel.csv",
      {
        mapping: JSON.stringify({ sku: "Artikelnummer", name: "Bezeichnung" }),
      },
    ),
  );
  // A Shopify export with a chosen mapping: saved for Shopify.
  const shopify = shopifyClassicExport([{ sku: "TEE-1", name: "Organic tee", description: "Soft cotton", active: true }]);
  await client.waitForImport(
    await upload(shopify.content, shopify.filename, { mapping: JSON.stringify({ sku: "Variant SKU", name: "Title", active: "Status" }) }),
  );
  // Reviewed for an hour, then applied: its duration is the apply's, not the hour.
  reviewedForAnHourId = await upload(csv([header, ...catalogRows("REV", 5)]), "reviewed-before-applying.csv", { review: "1" });
  await client.waitForImport(reviewedForAnHourId, (item) => item.status === "review");
  const applied = await fetch(`${server.url}/api/trpc/imports.apply`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ id: reviewedForAnHourId }),
  });
  expect(applied.status).toBe(200);
  await client.waitForImport(reviewedForAnHourId);
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await db.query("UPDATE imports SET created_at = created_at - interval '1 hour', uploaded_at = uploaded_at - interval '1 hour' WHERE id = $1", [
      reviewedForAnHourId,
    ]);
  } finally {
    await db.end();
  }
}

beforeAll(async () => {
  databaseUrl = await createTestDatabase();
  server = await startAppProcess({ DATABASE_URL: databaseUrl });
  client = apiClient(server.url);
  browser = await launchBrowser();
  await seed();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function openImports(viewport: { width: number; height: number }): Promise<Page> {
  const page = await browser.newPage({ viewport });
  await page.goto(`${server.url}/imports`);
  await page.waitForFunction(() => "__remixRouter" in window);
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  return page;
}

const STATUS_WORDS: Record<string, string> = { completed: "Completed", failed: "Failed", review: "In review" };

/** An import's row (a card on a phone), found by its file's link. */
const rowOf = (page: Page, filename: string) => page.locator("tbody tr", { has: page.getByRole("link", { name: filename, exact: true }) });

it("shows twelve imports on a 390 px phone as compact cards: file, status and counts, under 2,000 px tall, nothing sideways", async () => {
  const { items, total } = await client.api.imports.list.query({});
  expect(total).toBe(12);
  const page = await openImports(PHONE);
  try {
    const { height, width } = await page.evaluate(() => ({
      height: document.documentElement.scrollHeight,
      width: document.documentElement.scrollWidth,
    }));
    expect(width, "the page scrolls sideways").toBeLessThanOrEqual(PHONE.width);
    expect(height, "the phone page's height with twelve imports").toBeLessThan(PHONE_PAGE_HEIGHT_LIMIT);
    for (const item of items) {
      const card = rowOf(page, item.filename);
      expect(await card.count(), item.filename).toBe(1);
      // innerText: what is shown, not what is hidden on a phone.
      const shown = await card.innerText();
      expect(shown).toContain(STATUS_WORDS[item.status]);
      expect(shown.replace(/\s+/g, " ")).toContain(
        `${item.createdCount} created · ${item.updatedCount - item.unchangedCount} updated · ${item.errorCount} rejected`,
      );
      const box = (await card.boundingBox())!;
      expect(box.x + box.width, `${item.filename}'s card reaches past the screen`).toBeLessThanOrEqual(PHONE.width);
      expect(box.height, `${item.filename}'s card is two lines, not a stack of labelled cells`).toBeLessThan(CARD_HEIGHT_LIMIT);
    }
  } finally {
    await page.close();
  }
});

it("keeps the table on a laptop, and an import reviewed for an hour lasted its apply, not the hour", async () => {
  const laptop = await openImports(LAPTOP);
  const phone = await openImports(PHONE);
  try {
    const headings = await laptop.locator("thead th").allInnerTexts();
    expect(headings).toEqual(["File", "Size", "Status", "Created", "Updated", "Rejected", "Started", "Duration"]);
    const { filename } = await client.getImport(reviewedForAnHourId);
    const cells = await rowOf(laptop, filename)
      .locator("td")
      .evaluateAll((all) => all.filter((cell) => cell.checkVisibility()).map((cell) => (cell as HTMLElement).innerText));
    expect(cells).toHaveLength(8);
    // Under a minute ("83 ms", "1.2 s"), where the hour in review made it "1 h 0 min".
    const applyTime = String.raw`(\d+ ms|\d+(\.\d)? s)`;
    expect(cells[7], "the duration column").toMatch(new RegExp(`^${applyTime}$`));
    expect(await rowOf(phone, filename).innerText(), "the phone card's duration").toMatch(new RegExp(`rejected · ${applyTime}$`, "m"));
  } finally {
    await laptop.close();
    await phone.close();
  }
});

it("says which platform each saved mapping is for, and that it is offered for the same platform's files", async () => {
  const page = await openImports(LAPTOP);
  try {
    const mappings = page.locator(".mapping-list li");
    await expect.poll(() => mappings.count()).toBe(2);
    expect(await mappings.first().isVisible(), "folded until asked for").toBe(false);
    await page.getByText("Saved column mappings (2)").click();
    const shopify = mappings.filter({ hasText: "Variant SKU" });
    const own = mappings.filter({ hasText: "Artikelnummer" });
    expect(await shopify.innerText()).toMatch(/^Shopify export$/m);
    expect(await own.innerText()).toMatch(/^Your own columns$/m);
    expect(await page.locator(".saved-mappings > .hint").innerText()).toContain(
      "Offered again for a file with the same header, another export of the same platform, or a file with a column more or less",
    );
  } finally {
    await page.close();
  }
});

it("runs under the Content-Security-Policy without a single refusal", () => {
  expect(cspViolations(browser)).toEqual([]);
});
