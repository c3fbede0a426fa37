import { afterAll, beforeAll, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { startAppProcess, type AppProcess } from "../support/app-process.js";
import { cspViolations, launchBrowser } from "../support/browser.js";
import { startFileServer, type FileServer } from "../support/file-server.js";
import { createTestDatabase } from "../support/test-database.js";

/**
 * The Feeds page (issue "Feeds"): a feed created with its columns chosen from a sample of its
 * source's file, run, held past its guard, and applied from the review by a person.
 */

let server: AppProcess;
let source: FileServer;
let browser: Browser;
let page: Page;

/** A supplier's own columns, which no field's name matches: they have to be chosen. */
const supplierFile = (count: number) =>
  [
    "Artikelnummer;Bezeichnung;Preis",
    ...Array.from({ length: count }, (_, at) => `A-${100 + at};Artikel ${at};${(5 + at).toFixed(2).replace(".", ",")}`),
  ].join("\n") + "\n";

beforeAll(async () => {
  source = await startFileServer();
  source.serve("/export/katalog.csv", { body: supplierFile(100), etag: '"1"' });
  server = await startAppProcess({ DATABASE_URL: await createTestDatabase(), FEED_ALLOW_PRIVATE_NETWORKS: "1" });
  browser = await launchBrowser();
  page = await browser.newPage();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await source?.close();
});

const runRows = () => page.locator("table.feed-runs tbody tr");

it("creates a feed with its columns read from the source, runs it, holds a changed file past its guard, and applies it from the review", async () => {
  await page.goto(`${server.url}/feeds`);
  await page.getByRole("link", { name: "Add feed" }).click();
  await page.waitForURL(/\/feeds\/new$/);
  await page.getByLabel("Feed title").fill("Großhandel nightly");
  await page.getByLabel("File URL").fill(source.url("/export/katalog.csv"));
  await page.getByLabel("Mode").selectOption("sync");

  await page.getByRole("button", { name: "Read the columns from the source" }).click();
  await expect.poll(() => page.locator(".read-as").textContent()).toBe("Read as UTF-8, semicolon-separated");
  // "Price", not "Compare-at price"; "SKU (required)" is the SKU's.
  const column = (field: string) => page.locator(".field-columns").getByLabel(new RegExp(`^${field}( \\(|$)`));
  await column("SKU").selectOption("Artikelnummer");
  await column("Name").selectOption("Bezeichnung");
  await column("Price").selectOption("Preis");
  const preview = page.locator(".preview tbody tr");
  await expect.poll(() => preview.first().textContent()).toContain("A-100Artikel 0");

  await page.getByRole("button", { name: "Add feed" }).click();
  await page.waitForURL(/\/feeds\/\d+$/);
  await expect.poll(() => page.locator("h1").textContent()).toBe("Großhandel nightly");
  expect(await page.locator(".feed-summary").textContent()).toContain("Runs 0 6 * * * (UTC)");

  await page.getByRole("button", { name: "Run now" }).click();
  await expect.poll(() => runRows().first().locator(".badge").textContent(), { timeout: 30_000 }).toBe("Applied");
  await runRows()
    .first()
    .getByRole("link", { name: /^Import \d+$/ })
    .click();
  await page.waitForURL(/\/imports\/\d+$/);
  await expect.poll(() => page.locator("h1 + p.meta").textContent()).toMatch(/fetched .* by feed \d+/);
  await expect.poll(() => page.locator(".stat", { hasText: "Created" }).locator(".stat-value").textContent()).toBe("100");

  // The supplier's next file lost a tenth of its articles: more than the 5% the feed allows.
  source.serve("/export/katalog.csv", { body: supplierFile(90), etag: '"2"' });
  await page.goBack();
  await page.getByRole("button", { name: "Run now" }).click();
  await expect.poll(() => runRows().first().locator(".badge").textContent(), { timeout: 30_000 }).toBe("Held for review");
  expect(await runRows().first().locator("td.reason").textContent()).toBe(
    "Held for a person: it would deactivate 10 products (10% of the catalog); this feed allows 5%.",
  );
  await page.reload();
  expect(await page.locator(".alert-banner.held-banner").textContent()).toContain("A feed's file waits for review");
  await page
    .locator(".feed-summary")
    .getByRole("link", { name: /^review import \d+$/ })
    .click();
  await page.waitForURL(/\/imports\/\d+$/);
  await expect.poll(() => page.locator("h1 .badge").textContent()).toBe("In review");
  expect(await page.locator(".held-reason").textContent()).toContain("it would deactivate 10 products (10% of the catalog); this feed allows 5%.");
  await page.getByRole("button", { name: "Apply import" }).click();
  await expect.poll(() => page.locator("h1 .badge").textContent(), { timeout: 30_000 }).toBe("Completed");
  await page.reload();
  expect(await page.locator(".alert-banner.held-banner").count()).toBe(0);

  // Unchanged since: the next run costs one request and imports nothing.
  await page.goto(`${server.url}/feeds`);
  await page.getByRole("link", { name: "Großhandel nightly" }).click();
  await page.getByRole("button", { name: "Run now" }).click();
  await expect.poll(() => runRows().first().locator(".badge").textContent(), { timeout: 30_000 }).toBe("Unchanged");
  expect(cspViolations(browser)).toEqual([]);
});

it("shows what is wrong with a feed beside the field, and keeps what was typed", async () => {
  await page.goto(`${server.url}/feeds/new`);
  await page.getByLabel("Feed title").fill("Broken");
  await page.getByLabel("File URL").fill("ftp://files.example.com/catalog.csv");
  await page.getByLabel("Runs at (UTC)").fill("every night");
  await page.getByRole("button", { name: "Add feed" }).click();
  await expect.poll(() => page.locator(".field-error").first().textContent()).toContain("ftp:// is not a source this app fetches");
  expect(await page.getByLabel("File URL").getAttribute("aria-invalid")).toBe("true");
  expect(await page.getByLabel("Feed title").inputValue()).toBe("Broken");

  await page.getByLabel("File URL").fill("https://files.example.com/catalog.csv");
  await page.getByRole("button", { name: "Add feed" }).click();
  await expect.poll(() => page.locator("#schedule-error").textContent()).toContain('Schedule: "every night" has 2 fields');
});
