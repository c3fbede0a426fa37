import { afterAll, beforeAll, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { apiClient } from "../support/api-client.js";
import { startAppProcess, type AppProcess } from "../support/app-process.js";
import { createTestDatabase } from "../support/test-database.js";
import { cspViolations, launchBrowser } from "../support/browser.js";

let server: AppProcess;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  server = await startAppProcess({ DATABASE_URL: await createTestDatabase() });
  const rows = Array.from({ length: 120 }, (_, i) => `hat-${String(i).padStart(3, "0")},Wool hat ${i},Warm,${i % 3 === 0 ? "no" : "yes"}`);
  const form = new FormData();
  form.append("file", new Blob([`sku,name,description,active\n${rows.join("\n")}\nscarf-1,Silk scarf,Light,yes\n`]), "seed.csv");
  const { id } = (await (await fetch(`${server.url}/api/imports`, { method: "POST", body: form })).json()) as { id: string };
  await apiClient(server.url).waitForImport(id, (item) => item.status === "completed");
  browser = await launchBrowser();
  page = await browser.newPage();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const total = () => page.locator(".total").textContent();
const dialog = () => page.getByRole("dialog");

it("filters from the URL-backed form, shows the total, and pages", async () => {
  await page.goto(`${server.url}/products`);
  expect(await total()).toBe("121 products");
  await page.locator("form.filters").getByLabel("Name").fill("SILK");
  await expect.poll(() => total()).toBe("1 of 121 products match");
  expect(page.url()).toContain("name=SILK");
  await page.goBack();
  await expect.poll(() => total()).toBe("121 products");
  await page.goto(`${server.url}/products?active=false&size=25`);
  expect(await total()).toBe("40 of 121 products match");
  await page.getByRole("link", { name: "Next →" }).click();
  await expect.poll(() => page.getByText("Page 2 of 2").count()).toBe(1);
});

it("creates a product in a dialog, and edits one with the SKU clash shown on the SKU field", async () => {
  await page.goto(`${server.url}/products`);
  await page.getByRole("link", { name: "Add product" }).click();
  await dialog().getByLabel("SKU").fill("belt-1");
  await dialog().getByLabel("Name").fill("Leather belt");
  await dialog().getByRole("button", { name: "Create product" }).click();
  await expect.poll(() => page.getByRole("status").textContent()).toContain("Created belt-1.");
  expect(await dialog().count()).toBe(0);
  expect(await total()).toBe("122 products");

  await page.goto(`${server.url}/products?sku=belt`);
  await page.getByRole("link", { name: "Edit belt-1" }).click();
  await dialog().getByLabel("SKU").fill("SCARF-1");
  await dialog().getByRole("button", { name: "Save changes" }).click();
  await expect.poll(() => dialog().locator(".field-error").textContent()).toContain('"SCARF-1" already exists');
  expect(await dialog().getByLabel("SKU").getAttribute("aria-invalid")).toBe("true");
  await page.keyboard.press("Escape");
  await expect.poll(() => dialog().count()).toBe(0);
});

it("toggles active from the row", async () => {
  await page.goto(`${server.url}/products?sku=scarf-1`);
  const toggle = page.getByRole("switch", { name: "scarf-1 active" });
  expect(await toggle.getAttribute("aria-checked")).toBe("true");
  await toggle.click();
  await expect.poll(() => page.getByRole("status").textContent()).toContain("scarf-1 is now inactive.");
  await page.reload();
  expect(await page.getByRole("switch", { name: "scarf-1 active" }).getAttribute("aria-checked")).toBe("false");
});

it("deletes one product after a confirmation, then all of them after typing DELETE", async () => {
  await page.goto(`${server.url}/products?sku=hat-000`);
  await page.getByRole("link", { name: "Delete hat-000" }).click();
  await dialog().getByRole("button", { name: "Delete hat-000" }).click();
  await expect.poll(() => page.getByRole("status").textContent()).toContain("Deleted hat-000.");

  await page.goto(`${server.url}/products`);
  await page.getByRole("link", { name: "Delete all products…" }).click();
  expect(await dialog().textContent()).toContain("All 121 products will be deleted. This cannot be undone.");
  const confirm = dialog().getByRole("button", { name: /Delete all/ });
  expect(await confirm.isDisabled()).toBe(true);
  await dialog().getByLabel("Type DELETE to confirm").fill("DELETE");
  await confirm.click();
  await expect.poll(() => page.getByRole("status").textContent()).toContain("Deleted all 121 products.");
  expect(await total()).toBe("0 products");
  expect(await page.getByText("The catalog is empty.").count()).toBe(1);
});

it("keeps what someone typed into an edit dialog before its scripts arrived", async () => {
  const res = await fetch(`${server.url}/api/trpc/products.create`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ sku: "shawl-1", name: "Silk shawl" }),
  });
  const { id } = ((await res.json()) as { result: { data: { id: string } } }).result.data;
  const early = await browser.newPage();
  let release!: () => void;
  const scriptsHeld = new Promise<void>((resolve) => (release = resolve));
  // The page's scripts arrive only once the person has started typing (a slow connection).
  await early.route("**/build/**", async (route) => {
    await scriptsHeld;
    await route.continue();
  });
  // Module scripts hold DOMContentLoaded back: the server-rendered form is there long before.
  await early.goto(`${server.url}/products/${id}/edit`, { waitUntil: "commit" });
  const name = early.getByRole("dialog").getByLabel("Name");
  await name.fill("Silk shawl, long");
  release();
  await expect
    .poll(() => early.evaluate(() => document.querySelector("dialog")?.matches(":modal") ?? false), { message: "the dialog reopens modally" })
    .toBe(true);
  await early.keyboard.type(" and warm");
  expect(await name.inputValue()).toBe("Silk shawl, long and warm");
  expect(await early.getByRole("dialog").getByLabel("SKU").inputValue()).toBe("shawl-1");
  await early.close();
});

it("runs under the Content-Security-Policy without a single refusal", () => {
  expect(cspViolations(browser)).toEqual([]);
});
