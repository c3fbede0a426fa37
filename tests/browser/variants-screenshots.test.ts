import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, it } from "vitest";
import type { Browser } from "playwright-core";
import { apiClient } from "../support/api-client.js";
import { startAppProcess, type AppProcess } from "../support/app-process.js";
import { createTestDatabase } from "../support/test-database.js";
import { launchBrowser } from "../support/browser.js";

/**
 * The README's pictures of variants and images (`UPDATE_SCREENSHOTS=1`): a grouped product opened
 * to its variants, and the gallery of the product dialog. The images are squares of colour served
 * on loopback, the only address a test may reach.
 */
const photographing = process.env.UPDATE_SCREENSHOTS === "1";
const image = (name: string) => path.resolve(import.meta.dirname, "../../docs/images", name);

const COLOURS: Record<string, string> = { navy: "#1f3a68", sand: "#d8c7a3", forest: "#2f5d46", red: "#b23a3a", back: "#8aa0b8" };

let server: AppProcess;
let pictures: Server;
let browser: Browser;

beforeAll(async () => {
  if (!photographing) return;
  pictures = createServer((request, response) => {
    const colour = COLOURS[path.basename(request.url ?? "", ".svg")] ?? "#999";
    response.writeHead(200, { "content-type": "image/svg+xml" });
    response.end(`<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><rect width="64" height="64" fill="${colour}"/></svg>`);
  });
  await new Promise<void>((resolve) => pictures.listen(0, "127.0.0.1", resolve));
  const url = (name: string) => `http://127.0.0.1:${(pictures.address() as AddressInfo).port}/${name}.svg`;
  server = await startAppProcess({ DATABASE_URL: await createTestDatabase(), CURRENCY: "EUR" });
  const rows = [
    "sku,name,handle,option1 name,option1 value,option2 name,option2 value,price,stock,brand,images",
    ...["S", "M", "L"].map(
      (size, at) =>
        `TEE-NAVY-${size},Organic tee,organic-tee,Size,${size},Color,Navy,${(24.9 + at).toFixed(2)},${12 + at * 9},Northwind,"${url("navy")} ${url("back")}"`,
    ),
    ...["S", "M"].map(
      (size) => `TEE-SAND-${size},Organic tee,organic-tee,Size,${size},Color,Sand,24.90,${size === "S" ? 0 : 7},Northwind,${url("sand")}`,
    ),
    `CAP-WOOL,Wool cap,,,,,,19.00,40,Fjord,${url("forest")}`,
    ...["38", "40", "42"].map((size) => `BOOT-${size},Trail boot,trail-boot,Size,${size},,,129.00,5,Fjord,${url("red")}`),
  ].join("\n");
  await apiClient(server.url).importCsv(rows, "catalog.csv");
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await new Promise((resolve) => (pictures ? pictures.close(resolve) : resolve(undefined)));
});

it.runIf(photographing)("photographs a grouped product opened to its variants (docs/images/grouped-products.png)", async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1200 } });
  await page.goto(`${server.url}/products?columns=price,stock,options&open=organic-tee`);
  await page.locator("tr.variant:not([hidden])").first().waitFor();
  await page.waitForLoadState("networkidle");
  await page.locator("section.panel", { has: page.locator("table.products") }).screenshot({ path: image("grouped-products.png") });
  await page.close();
});

it.runIf(photographing)("photographs the product dialog's gallery (docs/images/product-gallery.png)", async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
  await page.goto(`${server.url}/products?view=variants&sku=TEE-NAVY-M`);
  await page.getByRole("link", { name: "Edit TEE-NAVY-M" }).click();
  const gallery = page.getByRole("group", { name: "Images, the main one first" });
  await gallery.scrollIntoViewIfNeeded();
  await page.waitForLoadState("networkidle");
  await page.screenshot({ path: image("product-gallery.png") });
  await page.close();
});
