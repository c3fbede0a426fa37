import { afterAll, beforeAll, expect, it } from "vitest";
import pg from "pg";
import type { Browser, Page } from "playwright-core";
import { startAppProcess, type AppProcess } from "../support/app-process.js";
import { createTestDatabase } from "../support/test-database.js";
import { cspViolations, launchBrowser } from "../support/browser.js";
import { startReceiver, type Receiver } from "../support/receiver.js";

let server: AppProcess;
let receiver: Receiver;
let browser: Browser;
let page: Page;

let databaseUrl: string;

beforeAll(async () => {
  databaseUrl = await createTestDatabase();
  server = await startAppProcess({ DATABASE_URL: databaseUrl, WEBHOOK_ALLOW_PRIVATE_NETWORKS: "1" });
  receiver = await startReceiver(() => ({ status: 202, delayMs: 30 }));
  browser = await launchBrowser();
  page = await browser.newPage();
});
afterAll(async () => {
  await browser?.close();
  await receiver?.close();
  await server?.stop();
});

const dialog = () => page.getByRole("dialog");

const SECRET = /whsec_[A-Za-z0-9+/]{32}/;

/** The secret as the API reveals it to the person (the app is open: no password). */
async function secretOf(id: string): Promise<string> {
  const response = await fetch(`${server.url}/api/trpc/webhooks.revealSecret`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ id }),
  });
  return ((await response.json()) as { result: { data: { secret: string } } }).result.data.secret;
}

/** Opened "Signing secret" shows only the hint until Reveal is pressed; then the secret, with focus on Copy. */
async function revealSecret(on: Page): Promise<string> {
  const hint = (await on.locator(".secret summary code").textContent())!;
  expect(hint).toMatch(/^whsec_….{4}$/);
  expect(await on.content()).not.toMatch(SECRET);
  await on.getByRole("button", { name: /^Reveal the signing secret of / }).click();
  await expect.poll(() => on.locator(".secret .secret-value").count()).toBe(1);
  const secret = (await on.locator(".secret .secret-value").textContent())!;
  expect(secret).toMatch(SECRET);
  expect(secret.slice(-4)).toBe(hint.slice(-4));
  expect(await on.evaluate(() => document.activeElement?.textContent)).toBe("Copy");
  return secret;
}

it("adds an endpoint, tests it (status code and latency inline), and switches it off", async () => {
  await page.goto(`${server.url}/webhooks`);
  await page.getByRole("link", { name: "Add endpoint" }).click();
  await dialog().getByLabel("Endpoint URL").fill("ftp://nowhere.test/");
  await dialog().getByRole("button", { name: "Add endpoint" }).click();
  await expect.poll(() => dialog().locator("#url-error").textContent()).toContain("URL must start with http:// or https://");

  await dialog().getByLabel("Endpoint URL").fill(receiver.url);
  await dialog()
    .getByLabel(/An import fails/)
    .uncheck();
  await dialog().getByRole("button", { name: "Add endpoint" }).click();
  await expect.poll(() => dialog().count()).toBe(0);
  expect(await page.locator(".webhook .filename").textContent()).toBe(receiver.url);
  expect(await page.locator(".webhook").textContent()).not.toContain("import.failed");

  await page.getByRole("button", { name: "Test" }).click();
  await expect.poll(() => page.locator(".test-result").textContent()).toMatch(/^✓ 202 · \d+ ms$/);
  expect(receiver.received).toHaveLength(1);
  expect(JSON.parse(receiver.received[0]!.body).type).toBe("webhook.test");

  const toggle = page.getByRole("switch", { name: `Send events to ${receiver.url}` });
  expect(await toggle.getAttribute("aria-checked")).toBe("true");
  await toggle.click();
  await expect.poll(() => toggle.getAttribute("aria-checked")).toBe("false");
  // Shown at once, saved a moment later: the reload must not cancel the save.
  await expect.poll(() => toggle.getAttribute("aria-busy")).toBe("false");
  await page.reload();
  expect(await page.getByRole("switch").getAttribute("aria-checked")).toBe("false");

  await page.getByRole("link", { name: "Deliveries" }).click();
  await expect.poll(() => page.locator("tbody tr").count()).toBe(1);
  expect(await page.locator("tbody tr").textContent()).toContain("webhook.test");
});

it("shows a delivery's headers, rotates the secret with an overlap, offers recovery, and lists the event types", async () => {
  // The endpoint from the test above: switched off, one test delivery logged.
  await page.goto(`${server.url}/webhooks`);
  await page.getByRole("link", { name: "Deliveries" }).click();
  await page.getByText("Headers", { exact: true }).click();
  await expect.poll(() => page.locator(".header-list").first().textContent()).toContain("webhook-id");
  expect(await page.locator(".header-list").first().textContent()).toMatch(/webhook-signaturev1,.{6}•••/);
  expect(await page.getByRole("button", { name: "Resend", exact: true }).first().isDisabled()).toBe(true);
  await expect.poll(() => page.locator(".recover-form").textContent()).toContain("Switch the endpoint on first.");

  await page.goto(`${server.url}/webhooks`);
  await page.locator(".secret summary").click();
  const before = await revealSecret(page);
  await page.getByLabel("Old secret keeps signing for").selectOption("72");
  await page.getByRole("button", { name: "Rotate secret" }).click();
  await expect.poll(() => page.getByRole("status").allTextContents()).toContainEqual(expect.stringMatching(/The old one also signs until/));
  await page.locator(".secret summary").click();
  expect(await revealSecret(page)).not.toBe(before);
  expect(await page.locator(".secret").textContent()).toContain("The secret before the last rotation also signs until");

  await page.getByRole("link", { name: "Event types" }).click();
  await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Event types");
  const completed = page.locator('[id="import.completed"]');
  await completed.getByText("JSON Schema").click();
  expect(await completed.locator("pre").last().textContent()).toContain('"createdCount"');
});

it("reveals the signing secret only when asked, also before JavaScript, as the API has it", async () => {
  await page.goto(`${server.url}/webhooks`);
  const id = (await page.getByRole("link", { name: "Deliveries" }).getAttribute("href"))!.split("/").pop()!;
  await page.locator(".secret summary").click();
  expect(await revealSecret(page)).toBe(await secretOf(id));
  // The dialog a link can open (what the form lands on before JavaScript), with JavaScript.
  await page.goto(`${server.url}/webhooks/${id}/reveal`);
  const asked = page.getByRole("dialog", { name: "Signing secret" });
  expect(await asked.textContent()).not.toMatch(SECRET);
  await asked.getByRole("button", { name: "Reveal" }).click();
  await expect.poll(() => asked.locator(".secret-value").textContent()).toBe(await secretOf(id));
  await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe("Copy");

  const noScript = await browser.newPage({ javaScriptEnabled: false });
  try {
    await noScript.goto(`${server.url}/webhooks`);
    expect(await noScript.content()).not.toMatch(SECRET);
    await noScript.locator(".secret summary").click();
    await noScript.getByRole("button", { name: /^Reveal the signing secret of / }).click();
    await noScript.waitForURL(`${server.url}/webhooks/${id}/reveal`);
    const shown = noScript.getByRole("dialog", { name: "Signing secret" });
    expect(await shown.locator(".secret-value").textContent()).toBe(await secretOf(id));
    // Copying needs a script: before one runs there is no button that would do nothing.
    expect(await shown.getByRole("button", { name: "Copy" }).count()).toBe(0);
    await shown.getByRole("link", { name: "Close" }).click();
    await noScript.waitForURL(`${server.url}/webhooks`);
    expect(await noScript.content()).not.toMatch(SECRET);
  } finally {
    await noScript.close();
  }
});

it("fits a 390 px phone: the webhooks, deliveries and event types pages do not scroll sideways", async () => {
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
  try {
    await phone.goto(`${server.url}/webhooks`);
    const id = (await phone.getByRole("link", { name: "Deliveries" }).getAttribute("href"))!;
    for (const path of ["/webhooks", id, "/webhooks/events"]) {
      await phone.goto(`${server.url}${path}`);
      await phone.locator("details").evaluateAll((all) => all.forEach((element) => ((element as HTMLDetailsElement).open = true)));
      expect(await phone.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(390);
    }
    await phone.goto(`${server.url}/webhooks`);
    await phone.locator(".secret summary").click();
    await revealSecret(phone);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth), "a revealed secret").toBeLessThanOrEqual(390);
  } finally {
    await phone.close();
  }
});

it("recovers from the deliveries page what was recorded while the endpoint was off", async () => {
  // Still off from the first test: this product's event is recorded and sent to nobody.
  await fetch(`${server.url}/api/trpc/products.create`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ sku: "while-off", name: "Recorded while off" }),
  });
  // Switched on before the dispatcher saw the event, the endpoint would simply get it: wait until it has.
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  await expect.poll(async () => (await db.query("SELECT count(*)::int AS waiting FROM events WHERE dispatched_at IS NULL")).rows[0].waiting).toBe(0);
  await db.end();
  await page.goto(`${server.url}/webhooks`);
  await page.getByRole("switch").click();
  await expect.poll(() => page.getByRole("switch").getAttribute("aria-busy")).toBe("false");
  const before = receiver.received.length;
  await page.getByRole("link", { name: "Deliveries" }).click();
  await page.locator(".recover-form select").selectOption("1");
  await page.locator(".recover-form").getByRole("button", { name: "Resend" }).click();
  await expect.poll(() => page.getByRole("status").allTextContents()).toContainEqual(expect.stringContaining("Resending 1 event."));
  await expect.poll(() => receiver.received.length).toBe(before + 1);
  expect(JSON.parse(receiver.received.at(-1)!.body).data.sku).toBe("while-off");
});

it("says at the top of every page when an endpoint has been failing for over an hour", async () => {
  await page.goto(`${server.url}/products`);
  expect(await page.locator(".alert-banner").count()).toBe(0);
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  await db.query("UPDATE webhooks SET enabled = true, failing_since = now() - interval '2 hours'");
  await db.end();
  await page.goto(`${server.url}/products`);
  expect(await page.locator(".alert-banner").textContent()).toContain("A webhook endpoint needs attention");
  await page.locator(".alert-banner").getByRole("link").click();
  await expect.poll(() => page.locator(".webhook .error").first().textContent()).toMatch(/Deliveries have been failing since/);
});

/**
 * Where a space sits in a text node of its own between two pieces of text (`{retryWindow}{" "}` in
 * JSX): React marks it off with comments, and readers that skip blank text nodes run the words
 * together ("retried for 72 hbefore"). Each hit is shown with what is around it.
 */
const loneSpaces = (html: string) => [...html.matchAll(/.{0,40}(<!-- -->\s+(<!-- -->|<[a-z])|>\s+<!-- -->).{0,40}/g)].map((hit) => hit[0]);

it("sends the retry window, the last delivery and each event's name as words with their spaces, in the HTML itself", async () => {
  const id = (await page.goto(`${server.url}/webhooks`), await page.getByRole("link", { name: "Deliveries" }).getAttribute("href"))!.split("/").pop();
  const html = Object.fromEntries(
    await Promise.all(
      ["/webhooks", "/webhooks/new", `/webhooks/${id}/edit`].map(async (path) => [path, await (await fetch(`${server.url}${path}`)).text()] as const),
    ),
  );
  expect(html["/webhooks"]).toContain("Failed deliveries are retried for 72 h before an endpoint is switched off");
  expect(html["/webhooks"]).toMatch(/Last delivery: \d{3} · \d+ ms · [^<]+ UTC<\/p>/);
  expect(html["/webhooks/new"]).toContain("A product is created <code>product.created</code>");
  for (const [path, text] of Object.entries(html)) expect(loneSpaces(text), path).toEqual([]);
});

it("styles the endpoint dialogs' fields as the product dialog's, errors beside them, and fits them on a 390 px phone", async () => {
  const FIELD_LOOK = [
    "borderTopWidth",
    "borderTopStyle",
    "borderTopColor",
    "borderRadius",
    "paddingTop",
    "paddingLeft",
    "fontSize",
    "fontFamily",
    "backgroundColor",
  ] as const;
  const look = (locator: ReturnType<Page["locator"]>) =>
    locator.evaluate((element, properties) => {
      const style = getComputedStyle(element);
      return Object.fromEntries(properties.map((property) => [property, style[property]]));
    }, FIELD_LOOK);
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
  try {
    await phone.goto(`${server.url}/products/new`);
    const productField = await look(phone.getByRole("dialog").getByLabel("SKU"));
    expect(productField.borderTopColor, "the product dialog's fields have the app's border").toBe("rgb(197, 202, 212)");

    await phone.goto(`${server.url}/webhooks`);
    const id = (await phone.getByRole("link", { name: "Deliveries" }).getAttribute("href"))!.split("/").pop();
    for (const path of ["/webhooks/new", `/webhooks/${id}/edit`]) {
      await phone.goto(`${server.url}${path}`);
      const form = phone.getByRole("dialog");
      await phone.waitForFunction(() => document.querySelector("dialog.modal")?.matches(":modal"));
      expect(await look(form.getByLabel("Endpoint URL")), `${path}: the URL field`).toEqual(productField);
      expect(await look(form.getByLabel("Requests at once")), `${path}: the requests-at-once field`).toEqual(productField);
      expect(
        await phone.evaluate(() => document.querySelector("dialog.modal")!.scrollWidth <= document.querySelector("dialog.modal")!.clientWidth),
        path,
      ).toBe(true);
    }
    // A refused URL: the message under the field, the field marked.
    await phone.goto(`${server.url}/webhooks/new`);
    const form = phone.getByRole("dialog");
    await form.getByLabel("Endpoint URL").fill("ftp://nowhere.test/");
    await form.getByRole("button", { name: "Add endpoint" }).click();
    const error = form.locator("#url-error");
    await expect.poll(() => error.textContent()).toContain("URL must start with http:// or https://");
    const field = form.getByLabel("Endpoint URL");
    expect(await field.getAttribute("aria-describedby")).toBe("url-error");
    expect((await look(field)).borderTopColor, "the refused field's border is the danger colour").toBe("rgb(180, 35, 24)");
    const [fieldBox, errorBox] = [(await field.boundingBox())!, (await error.boundingBox())!];
    expect(errorBox.y - (fieldBox.y + fieldBox.height), "the message sits right under the field").toBeLessThan(16);
  } finally {
    await phone.close();
  }
});

it("runs under the Content-Security-Policy without a single refusal", () => {
  expect(cspViolations(browser)).toEqual([]);
});
