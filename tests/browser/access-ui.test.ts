import { afterAll, beforeAll, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { startAppProcess, type AppProcess } from "../support/app-process.js";
import { createTestDatabase } from "../support/test-database.js";
import { cspViolations, launchBrowser } from "../support/browser.js";

let server: AppProcess;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  server = await startAppProcess({ DATABASE_URL: await createTestDatabase() });
  browser = await launchBrowser();
  page = await browser.newPage();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const uploadWith = (token: string) =>
  fetch(`${server.url}/api/imports?filename=t.csv`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "text/csv" },
    body: "sku,name\na,A\n",
  });

it("creates a read token shown once, which reads but may not upload, then revokes it", async () => {
  await page.goto(`${server.url}/products`);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Access" }).click();
  await page.getByRole("button", { name: "Create token" }).click();
  // The browser's own check stops an empty name; a blank one reaches the server and is refused inline.
  await page.getByLabel("Name").fill("   ");
  await page.getByRole("button", { name: "Create token" }).click();
  await expect.poll(() => page.locator("#name-error").textContent()).toContain("Name is required");

  await page.getByLabel("Name").fill("Reporting dashboard");
  await page.getByLabel("Read", { exact: true }).check();
  await page.getByRole("button", { name: "Create token" }).click();
  const secret = (await page.locator(".token-secret").textContent())!;
  expect(secret).toMatch(/^pit_/);
  expect(await page.locator(".token-list").textContent()).toContain("Reporting dashboard");
  expect(await page.locator(".token-list").textContent()).toContain("never used");

  const listed = await fetch(`${server.url}/api/trpc/products.list?input=%7B%7D`, { headers: { Authorization: `Bearer ${secret}` } });
  expect(listed.status).toBe(200);
  expect((await uploadWith(secret)).status).toBe(403);

  // Shown once: a reload does not bring the secret back.
  await page.goto(`${server.url}/access`);
  expect(await page.locator(".token-secret").count()).toBe(0);
  expect(await page.locator(".token-list").textContent()).toMatch(/last used/);
  await page.getByRole("button", { name: "Revoke Reporting dashboard" }).click();
  await expect.poll(() => page.getByRole("status").allTextContents()).toContainEqual(expect.stringContaining("Revoked “Reporting dashboard”"));
  expect(await page.locator(".token-list").count()).toBe(0);
  expect((await fetch(`${server.url}/api/trpc/products.list?input=%7B%7D`, { headers: { Authorization: `Bearer ${secret}` } })).status).toBe(401);
});

it("fits a 390 px phone without sideways scrolling, with a token's secret shown", async () => {
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
  try {
    await phone.goto(`${server.url}/access`);
    await phone.getByLabel("Name").fill("Phone");
    await phone.getByRole("button", { name: "Create token" }).click();
    await expect.poll(() => phone.locator(".token-secret").count()).toBe(1);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  } finally {
    await phone.close();
  }
});

it("runs under the Content-Security-Policy without a single refusal", () => {
  expect(cspViolations(browser)).toEqual([]);
});
