import { afterAll, beforeAll, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { startAppProcess, type AppProcess } from "../support/app-process.js";
import { createTestDatabase } from "../support/test-database.js";
import { cspViolations, launchBrowser } from "../support/browser.js";
import { startReceiver, type Receiver } from "../support/receiver.js";

let server: AppProcess;
let receiver: Receiver;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  server = await startAppProcess({ DATABASE_URL: await createTestDatabase(), WEBHOOK_ALLOW_PRIVATE_NETWORKS: "1" });
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

it("runs under the Content-Security-Policy without a single refusal", () => {
  expect(cspViolations(browser)).toEqual([]);
});
