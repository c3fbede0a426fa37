import { afterAll, beforeAll, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { apiClient, type ApiClient } from "../support/api-client.js";
import { startAppProcess, type AppProcess } from "../support/app-process.js";
import { cspViolations, launchBrowser } from "../support/browser.js";
import { createTestDatabase } from "../support/test-database.js";
import { sleep } from "../support/wait.js";

/**
 * What the review page offers in each state: no Apply when applying would change nothing, the
 * repeated SKUs only when the file repeats one, a question before applying counts the catalog has
 * moved away from (with and without JavaScript), and how long an import took with its waits apart.
 */

let server: AppProcess;
let browser: Browser;
let api: ApiClient;

beforeAll(async () => {
  server = await startAppProcess({ DATABASE_URL: await createTestDatabase() });
  browser = await launchBrowser();
  api = apiClient(server.url);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const HEADER = "sku,name,description,active\n";

/** Applies `rows` straight away: the catalog a test starts from (each test uses SKUs of its own). */
async function seed(rows: string) {
  const { body } = await api.uploadCsv(HEADER + rows, "seed.csv");
  expect(await api.waitForImport(body.id)).toMatchObject({ status: "completed" });
}

/** Uploads a file held for review, as the Imports page does by default. */
async function held(csv: string, filename = "changes.csv"): Promise<string> {
  const form = new FormData();
  form.append("review", "1");
  form.append("file", new Blob([csv], { type: "text/csv" }), filename);
  const response = await fetch(`${server.url}/api/imports`, { method: "POST", body: form });
  expect(response.status).toBe(202);
  return ((await response.json()) as { id: string }).id;
}

/** Someone else edits the catalog (the API, another tab) while the review is open. */
async function renameMeanwhile(sku: string, name: string) {
  const product = (await api.api.products.list.query({ sku })).items[0]!;
  await api.api.products.update.mutate({ id: product.id, name });
}

const badge = (page: Page) => page.locator("h1 .badge").textContent();
const applyButtons = (page: Page) => page.getByRole("button", { name: "Apply import" }).count();
const repeatsLinks = (page: Page) => page.getByRole("link", { name: "List the SKUs the file repeats" }).count();
const reviewText = (page: Page) => page.locator("section.review").innerText();

it("offers no Apply when every row is rejected, says why calmly, and keeps Discard", async () => {
  const id = await held(`${HEADER}r-1,,no name,yes\nr-2,,no name either,yes\n`);
  const page = await browser.newPage();
  await page.goto(`${server.url}/imports/${id}`);
  expect(await badge(page)).toBe("In review");
  expect(await reviewText(page)).toContain("Applying would change nothing: every row was rejected.");
  expect(await applyButtons(page)).toBe(0);
  expect(await repeatsLinks(page)).toBe(0);
  await page.getByRole("button", { name: "Discard" }).click();
  await expect.poll(() => badge(page)).toBe("Cancelled");
  await page.close();
});

it("offers no Apply when every product is already as in the file", async () => {
  await seed("same-1,Same one,Kept,yes\nsame-2,Same two,Kept,no\n");
  const id = await held(`${HEADER}same-1,Same one,Kept,yes\nsame-2,Same two,Kept,no\n`);
  const page = await browser.newPage();
  await page.goto(`${server.url}/imports/${id}`);
  expect(await reviewText(page)).toContain("Applying would change nothing: every product is already as in the file.");
  expect(await applyButtons(page)).toBe(0);
  expect(await page.getByRole("button", { name: "Discard" }).count()).toBe(1);
  await page.close();
});

it("lists the repeated SKUs only when the file repeats one, every field's column, and what the updates change in words", async () => {
  await seed("rep-1,Repeat one,First,yes\nrep-2,Repeat two,Second,yes\nrep-3,Repeat three,Third,no\n");
  const page = await browser.newPage();

  const plainId = await held(`${HEADER}rep-1,Renamed once,First,yes\n`);
  await page.goto(`${server.url}/imports/${plainId}`);
  expect(await applyButtons(page)).toBe(1);
  expect(await repeatsLinks(page), "nothing repeats: no link to an empty list").toBe(0);
  expect(await page.locator("p.meta").first().textContent()).toContain(
    'columns: sku ← "sku", name ← "name", description ← "description", active ← "active"',
  );
  await api.api.imports.discard.mutate({ id: plainId });

  const repeatingId = await held(
    `${HEADER}rep-1,Early name,First,yes\nrep-1,Renamed,First,yes\nrep-2,Repeat two,New words,yes\nrep-3,Repeat three,Third,yes\n`,
  );
  await page.goto(`${server.url}/imports/${repeatingId}`);
  expect(await reviewText(page)).toContain("Of the updates, 1 changes its name, 1 changes its description and 1 becomes active.");
  await page.getByRole("link", { name: "List the SKUs the file repeats" }).click();
  await expect.poll(() => page.getByRole("heading", { name: "Repeated SKUs (1)" }).count()).toBe(1);
  expect(await page.getByRole("row", { name: /rep-1/ }).last().textContent()).toContain("2, 3");
  await api.api.imports.discard.mutate({ id: repeatingId });
  await page.close();
});

it("asks before applying counts the catalog has moved away from: Review again, then Apply anyway", async () => {
  await seed("st-1,Stale one,First,yes\nst-2,Stale two,Second,yes\n");
  const page = await browser.newPage();
  const id = await held(`${HEADER}st-1,Renamed,First,yes\nst-new,Brand new,Fresh,yes\n`);
  await page.goto(`${server.url}/imports/${id}`);
  expect(await badge(page)).toBe("In review");

  await renameMeanwhile("st-2", "Edited while the review was open");
  await page.getByRole("button", { name: "Apply import" }).click();
  await page.waitForURL((url) => url.pathname === `/imports/${id}/apply`);
  const dialog = page.getByRole("dialog", { name: "The catalog changed since this review" });
  await expect.poll(() => dialog.isVisible()).toBe(true);
  expect(await dialog.textContent()).toContain("would create 1, update 1 products");
  expect(await badge(page), "nothing was queued").toBe("In review");

  await dialog.getByRole("link", { name: "Review again" }).click();
  await page.waitForURL((url) => url.pathname === `/imports/${id}`);
  await expect.poll(() => page.getByRole("dialog").count()).toBe(0);
  expect(await reviewText(page)).toContain("The catalog changed since this file was first compared with it");
  // Looked at again, nothing moved since: Apply goes straight through.
  await page.getByRole("button", { name: "Apply import" }).click();
  await expect.poll(() => badge(page), { timeout: 20_000 }).toBe("Completed");
  expect(await page.getByRole("dialog").count()).toBe(0);

  const second = await held(`${HEADER}st-1,Renamed again,First,yes\n`);
  await page.goto(`${server.url}/imports/${second}`);
  await renameMeanwhile("st-2", "Edited once more");
  await page.getByRole("button", { name: "Apply import" }).click();
  await page.waitForURL((url) => url.pathname === `/imports/${second}/apply`);
  await page.getByRole("dialog").getByRole("button", { name: "Apply anyway" }).click();
  await page.waitForURL((url) => url.pathname === `/imports/${second}`);
  await expect.poll(() => page.getByRole("status").allTextContents()).toContainEqual(expect.stringContaining("Applying the import: it is queued."));
  await expect.poll(() => badge(page), { timeout: 20_000 }).toBe("Completed");
  expect((await api.api.products.list.query({ sku: "st-1" })).items[0]!.name).toBe("Renamed again");
  await page.close();
});

it("asks the same before JavaScript loads: the dialog is a page of its own, and both answers work", async () => {
  await seed("nojs-1,No script one,First,yes\nnojs-2,No script two,Second,yes\n");
  const id = await held(`${HEADER}nojs-1,Renamed without script,First,yes\n`);
  const context = await browser.newContext({ javaScriptEnabled: false });
  const plain = await context.newPage();
  await plain.goto(`${server.url}/imports/${id}`);

  await renameMeanwhile("nojs-2", "Edited meanwhile");
  await plain.getByRole("button", { name: "Apply import" }).click();
  await plain.waitForURL((url) => url.pathname === `/imports/${id}/apply`);
  expect(await plain.locator("dialog[open] h2").textContent()).toBe("The catalog changed since this review");
  await plain.getByRole("link", { name: "Review again" }).click();
  await plain.waitForURL((url) => url.pathname === `/imports/${id}`);
  expect(await plain.locator("dialog[open]").count()).toBe(0);
  expect(await plain.locator("h1 .badge").textContent()).toBe("In review");

  await renameMeanwhile("nojs-2", "Edited again");
  await plain.getByRole("button", { name: "Apply import" }).click();
  await plain.waitForURL((url) => url.pathname === `/imports/${id}/apply`);
  await plain.getByRole("button", { name: "Apply anyway" }).click();
  await plain.waitForURL((url) => url.pathname === `/imports/${id}`);
  expect(await plain.locator("dialog[open]").count()).toBe(0);
  expect((await api.waitForImport(id)).status).toBe("completed");
  expect((await api.api.products.list.query({ sku: "nojs-1" })).items[0]!.name).toBe("Renamed without script");
  await context.close();
});

it("shows the apply's own time and the wait in review apart, and only reading and applying without a review", async () => {
  await seed("time-1,Timed,First,yes\n");
  const page = await browser.newPage();
  const id = await held(`${HEADER}time-1,Timed again,First,yes\n`);
  await page.goto(`${server.url}/imports/${id}`);
  // The review stays open a set time: the wait in review it shows is measured below.
  await sleep(1_500);
  await page.getByRole("button", { name: "Apply import" }).click();
  await expect.poll(() => badge(page), { timeout: 20_000 }).toBe("Completed");
  const reviewed = await page.getByText(/^Read in /).textContent();
  expect(reviewed).toMatch(/^Read in [\d.]+ m?s · waited (\d+\.\d s|\d+ s|\d+ min \d+ s) in review · applied in [\d.]+ m?s\.$/);
  expect(Number(/waited ([\d.]+) s/.exec(reviewed!)?.[1] ?? 60), "the wait is the time the review was open").toBeGreaterThanOrEqual(1.5);
  expect(await page.locator(".stat-label", { hasText: /^Duration$/ }).count(), "no single figure mixing the wait and the work").toBe(0);

  const { body } = await api.uploadCsv(`${HEADER}time-1,Timed straight,First,yes\n`, "straight.csv");
  await api.waitForImport(body.id);
  await page.goto(`${server.url}/imports/${body.id}`);
  expect(await page.getByText(/^Read in /).textContent()).toMatch(/^Read in [\d.]+ m?s · applied in [\d.]+ m?s\.$/);
  await page.close();
});

it("runs under the Content-Security-Policy without a single refusal", () => {
  expect(cspViolations(browser)).toEqual([]);
});
