import { afterAll, beforeAll, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { startAppProcess, type AppProcess } from "../support/app-process.js";
import { createTestDatabase } from "../support/test-database.js";
import { cspViolations, launchBrowser } from "../support/browser.js";

const PASSWORD = "a long shared password";

let server: AppProcess;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  server = await startAppProcess({ DATABASE_URL: await createTestDatabase(), APP_PASSWORD: PASSWORD });
  const created = await fetch(`${server.url}/api/trpc/products.create`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${PASSWORD}` },
    body: JSON.stringify({ sku: "lamp-1", name: "Desk lamp" }),
  });
  expect(created.status).toBe(200);
  browser = await launchBrowser();
  page = await browser.newPage();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

it("asks for the password, shows a wrong one inline, then opens the page asked for", async () => {
  await page.goto(`${server.url}/products`);
  await expect.poll(() => new URL(page.url()).pathname).toBe("/login");
  await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("name"))).toBe("password");
  expect(await page.getByRole("navigation", { name: "Main" }).count(), "no app navigation before logging in").toBe(0);

  await page.getByLabel("Password").fill("wrong guess");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect.poll(() => page.locator("#password-error").textContent()).toBe("That password is not right.");
  expect(await page.getByLabel("Password").getAttribute("aria-invalid")).toBe("true");

  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect.poll(() => new URL(page.url()).pathname).toBe("/products");
  await expect.poll(() => page.getByRole("cell", { name: "Desk lamp" }).count()).toBe(1);
  const cookies = await page.context().cookies();
  expect(cookies.find((cookie) => cookie.name === "pi_session")).toMatchObject({ httpOnly: true, sameSite: "Lax" });
});

it("logs out from the header and needs the password again", async () => {
  await page.getByRole("button", { name: "Log out" }).click();
  await expect.poll(() => new URL(page.url()).pathname).toBe("/login");
  expect((await page.context().cookies()).find((cookie) => cookie.name === "pi_session")).toBeUndefined();
  await page.goto(`${server.url}/webhooks`);
  await expect.poll(() => new URL(page.url()).pathname).toBe("/login");
  expect(new URL(page.url()).searchParams.get("next")).toBe("/webhooks");
});

it("sends a click made after the session ended to the login page, and back after logging in", async () => {
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect.poll(() => new URL(page.url()).pathname).toBe("/webhooks");
  await page.context().clearCookies();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Imports" }).click();
  await expect.poll(() => new URL(page.url()).pathname).toBe("/login");
  expect(new URL(page.url()).searchParams.get("next")).toBe("/imports");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect.poll(() => new URL(page.url()).pathname).toBe("/imports");
});

it("runs under the Content-Security-Policy without a single refusal", () => {
  expect(cspViolations(browser)).toEqual([]);
});
