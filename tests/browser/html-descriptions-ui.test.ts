import { afterAll, beforeAll, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { apiClient, type ApiClient } from "../support/api-client.js";
import { startAppProcess, type AppProcess } from "../support/app-process.js";
import { cspViolations, launchBrowser } from "../support/browser.js";
import { createTestDatabase } from "../support/test-database.js";

/**
 * A description as platform exports write them (Shopify's `Body (HTML)`), with what a hostile file
 * could add: a script, event handlers, a javascript: link, an inline style, an image to fetch.
 */
const DESCRIPTION = [
  "<p>Stylish <strong>pink</strong> armchair &amp; footstool</p>",
  `<script>window.pwned = "script"</script>`,
  `<img src="/tracking-pixel.gif" onerror="window.pwned = 'img'">`,
  `<p onmouseover="window.pwned = 'hover'" style="color: red">Oak&nbsp;legs, <a href="javascript:window.pwned = 'link'" onclick="window.pwned = 'click'">care guide</a></p>`,
  `<p><a href="https://example.com/care">Washing</a></p>`,
].join("\n");
/** The same written by a Windows tool: CR LF line breaks. */
const CRLF_DESCRIPTION = "<p>Three legs</p>\r\n<p>Beech</p>";
const TEXT = "Stylish pink armchair & footstool\nOak legs, care guide\nWashing";
/** What a preview may carry: formatting elements, and links that leave the app. */
const SAFE_ATTRIBUTES = ["href", "rel", "target", "colspan", "rowspan", "start"];

let server: AppProcess;
let browser: Browser;
let api: ApiClient;
let productId: string;
const pixelRequests: string[] = [];

const csvCell = (value: string) => `"${value.replaceAll('"', '""')}"`;
const stored = async () => (await api.api.products.get.query({ id: productId })).description;
const descriptionCell = (page: Page, sku: string) => page.getByRole("row", { name: new RegExp(sku) }).locator("td.description");
const preview = (page: Page) => page.getByRole("dialog").getByRole("region", { name: /^Preview/ });
/** Once scripts run the dialog is modal (and where it stays) and the preview follows typing. */
const live = (page: Page) =>
  expect.poll(() => preview(page).getByText("Preview", { exact: true }).count(), { message: "the page's scripts run", timeout: 10_000 }).toBe(1);
const pwned = (page: Page) => page.evaluate(() => (window as unknown as { pwned?: string }).pwned ?? null);

beforeAll(async () => {
  server = await startAppProcess({ DATABASE_URL: await createTestDatabase() });
  api = apiClient(server.url);
  const csv = `sku,name,description\nchair-1,Pink armchair,${csvCell(DESCRIPTION)}\nplain-1,Plain stool,${csvCell("Seat < 50 cm & light")}\ncrlf-1,Windows stool,${csvCell(CRLF_DESCRIPTION)}\n`;
  const upload = await api.uploadCsv(csv, "products_export.csv");
  expect((await api.waitForImport(upload.body.id)).status).toBe("completed");
  productId = (await api.api.products.list.query({ sku: "chair-1" })).items[0]!.id;
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function openPage(viewport = { width: 1280, height: 900 }) {
  const page = await browser.newPage({ viewport });
  page.on("request", (request) => {
    if (request.url().includes("tracking-pixel")) pixelRequests.push(request.url());
  });
  return page;
}

it("stores the file's description byte for byte", async () => {
  expect(await stored()).toBe(DESCRIPTION);
  expect((await api.api.products.list.query({ sku: "crlf-1" })).items[0]!.description).toBe(CRLF_DESCRIPTION);
});

it("lists a description's text, not its tags: entities decoded, scripts dropped, blocks on lines of their own", async () => {
  const page = await openPage();
  await page.goto(`${server.url}/products`);
  expect(await descriptionCell(page, "chair-1").textContent()).toBe(TEXT);
  expect(await descriptionCell(page, "plain-1").textContent(), "text without HTML is shown as it is").toBe("Seat < 50 cm & light");
  await page.close();
});

it("edits with the source unchanged and a preview beside it where nothing runs, loads or keeps an unsafe attribute", async () => {
  const page = await openPage();
  await page.goto(`${server.url}/products`);
  await page.getByRole("link", { name: "Edit chair-1" }).click();
  const dialog = page.getByRole("dialog");
  expect(await dialog.getByRole("textbox", { name: "Description" }).inputValue()).toBe(DESCRIPTION);

  await expect.poll(() => preview(page).locator("strong").textContent()).toBe("pink");
  expect(await preview(page).textContent()).toContain("Stylish pink armchair & footstool");
  expect(await preview(page).locator("script, img, style, iframe").count()).toBe(0);
  const attributes = await preview(page)
    .locator(".rendered-description *")
    .evaluateAll((elements) => elements.flatMap((element) => element.getAttributeNames()));
  expect(attributes.filter((name) => !SAFE_ATTRIBUTES.includes(name))).toEqual([]);
  const links = await preview(page)
    .locator("a")
    .evaluateAll((anchors) => anchors.map((a) => ({ text: a.textContent, href: a.getAttribute("href"), rel: a.getAttribute("rel") })));
  expect(links).toEqual([
    { text: "care guide", href: null, rel: "noopener noreferrer nofollow" },
    { text: "Washing", href: "https://example.com/care", rel: "noopener noreferrer nofollow" },
  ]);

  await preview(page).getByText("Oak legs").hover();
  await preview(page).getByText("care guide").click();
  expect(await pwned(page)).toBeNull();
  expect(page.url()).toContain(`/products/${productId}/edit`);
  expect(pixelRequests).toEqual([]);
  await page.close();
});

it("previews what is typed, saving nothing until Save", async () => {
  const page = await openPage();
  await page.goto(`${server.url}/products/${productId}/edit`);
  await live(page);
  await page
    .getByRole("dialog")
    .getByRole("textbox", { name: "Description" })
    .fill(`${DESCRIPTION}\n<p><em>Fresh</em> &amp; new<img src=x onerror="window.pwned = 'typed'"></p>`);
  await expect.poll(() => preview(page).locator("em").textContent(), { timeout: 10_000 }).toBe("Fresh");
  expect(await preview(page).textContent()).toContain("Fresh & new");
  expect(await pwned(page)).toBeNull();
  await page.keyboard.press("Escape");
  await expect.poll(() => page.getByRole("dialog").count()).toBe(0);
  expect(await stored()).toBe(DESCRIPTION);
  await page.close();
});

it("keeps the description byte for byte, line breaks included, when a save changes only the name", async () => {
  const page = await openPage();
  await page.goto(`${server.url}/products/${productId}/edit`);
  await page.getByRole("dialog").getByLabel("Name").fill("Pink armchair, velvet");
  await page.getByRole("dialog").getByRole("button", { name: "Save changes" }).click();
  await expect.poll(() => page.getByRole("status").textContent()).toContain("Saved chair-1.");
  const product = await api.api.products.get.query({ id: productId });
  expect(product.name).toBe("Pink armchair, velvet");
  expect(product.description).toBe(DESCRIPTION);
  expect(await descriptionCell(page, "chair-1").textContent()).toBe(TEXT);
  await page.close();

  // A browser hands a textarea's line breaks on as CR LF when it posts the form itself, and as LF
  // through a script: either way the file's own line breaks come back.
  const crlfId = (await api.api.products.list.query({ sku: "crlf-1" })).items[0]!.id;
  const scripted = await openPage();
  await scripted.goto(`${server.url}/products/${crlfId}/edit`);
  await live(scripted);
  await scripted.getByRole("dialog").getByLabel("Name").fill("Windows stool, renamed");
  await scripted.getByRole("dialog").getByRole("button", { name: "Save changes" }).click();
  await expect.poll(() => scripted.getByRole("status").textContent()).toContain("Saved crlf-1.");
  expect((await api.api.products.get.query({ id: crlfId })).description).toBe(CRLF_DESCRIPTION);
  await scripted.close();

  const context = await browser.newContext({ javaScriptEnabled: false });
  const plain = await context.newPage();
  await plain.goto(`${server.url}/products/${productId}/edit`);
  await plain.locator("form.product-form").getByLabel("Name").fill("Pink armchair, velvet (no scripts)");
  await plain.locator("form.product-form").getByRole("button", { name: "Save changes" }).click();
  await plain.waitForURL(/\/products(\?|$)/);
  const saved = await api.api.products.get.query({ id: productId });
  expect(saved.name).toBe("Pink armchair, velvet (no scripts)");
  expect(saved.description).toBe(DESCRIPTION);
  await context.close();
});

it("says, without scripts, that the preview is of the saved description", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${server.url}/products/${productId}/edit`);
  expect(await page.locator(".description-preview .preview-title").textContent()).toBe("Preview of the saved description");
  expect(await page.locator(".rendered-description strong").textContent()).toBe("pink");
  await context.close();
});

it("puts the preview below the source on a phone, inside the screen", async () => {
  const page = await openPage({ width: 390, height: 844 });
  await page.goto(`${server.url}/products/${productId}/edit`);
  await live(page);
  const source = await page.getByRole("dialog").getByRole("textbox", { name: "Description" }).boundingBox();
  const shown = await preview(page).boundingBox();
  expect(shown!.y).toBeGreaterThanOrEqual(source!.y + source!.height);
  expect(shown!.x + shown!.width).toBeLessThanOrEqual(390);
  await page.close();
});

it("runs under the Content-Security-Policy without a single refusal", () => {
  expect(cspViolations(browser)).toEqual([]);
});
