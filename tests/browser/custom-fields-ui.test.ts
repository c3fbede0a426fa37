import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import type { Browser, Locator, Page } from "playwright-core";
import { apiClient, type ApiClient } from "../support/api-client.js";
import { startAppProcess, type AppProcess } from "../support/app-process.js";
import { cspViolations, launchBrowser } from "../support/browser.js";
import { createTestDatabase } from "../support/test-database.js";
import { deleteEveryField } from "../support/custom-fields.js";

/**
 * Fields of a team's own (issue 32): defined on the Fields page, made from a file's column no field
 * takes while importing it, filled in the product dialog, deleted after a question that counts the
 * products holding a value; all of it on a 390 px phone too.
 */

let server: AppProcess;
let client: ApiClient;
let browser: Browser;

const PHONE = { width: 390, height: 844 };
/** For what waits on the server (a dialog's route loading, a save): expect.poll gives up after a second otherwise. */
const SOON = { timeout: 10_000 };

beforeAll(async () => {
  server = await startAppProcess({ DATABASE_URL: await createTestDatabase() });
  client = apiClient(server.url);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

// Fields, products and remembered mappings outlive a test: each starts from none of them.
beforeEach(async () => {
  const { api } = client;
  await deleteEveryField(api);
  await api.products.deleteAll.mutate({});
  for (const mapping of await api.mappings.list.query({})) await api.mappings.delete.mutate({ id: mapping.id });
});

/** A fresh tab, hydrated (a dialog opened by a click is then a client-side route, focused by its script). */
async function openPage(path: string, viewport?: { width: number; height: number }): Promise<Page> {
  const page = await browser.newPage(viewport ? { viewport } : {});
  await page.goto(`${server.url}${path}`);
  await page.waitForFunction(() => "__remixRouter" in window);
  return page;
}

const dialog = (page: Page) => page.getByRole("dialog");
const toast = (page: Page) => page.locator(".toasts").textContent();
const isFocused = (locator: Locator) => locator.evaluate((element) => element === document.activeElement);
const fieldRows = (page: Page) => page.locator("table.fields-table tbody tr");
const storedProduct = async (sku: string) => (await client.api.products.list.query({ sku })).items.find((item) => item.sku === sku)!;

/** Picks a file in the upload panel and waits for the mapping step to show how it reads. */
async function chooseFile(page: Page, name: string, lines: string[]) {
  await page.getByLabel("CSV file").setInputFiles({ name, mimeType: "text/csv", buffer: Buffer.from(`${lines.join("\n")}\n`) });
  await expect.poll(() => page.locator(".read-as").count(), SOON).toBe(1);
}

it("adds a choice field through the Fields page's dialog by keyboard; a choice without options is refused inline, keeping what was typed", async () => {
  const page = await openPage("/fields");
  try {
    expect(await page.locator(".panel .empty").textContent()).toContain("No fields of your own yet");

    // The dialog opens with its first field focused, and Escape closes it without adding anything.
    await page.getByRole("link", { name: "Add field" }).click();
    const label = dialog(page).getByLabel("Label", { exact: true });
    await expect.poll(() => isFocused(label), SOON).toBe(true);
    await page.keyboard.press("Escape");
    await expect.poll(() => dialog(page).count(), SOON).toBe(0);
    expect(new URL(page.url()).pathname).toBe("/fields");

    await page.getByRole("link", { name: "Add field" }).focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => isFocused(label), SOON).toBe(true);
    await page.keyboard.type("Fit");
    await dialog(page).getByLabel("Type").selectOption("choice");
    await label.press("Enter");

    const options = dialog(page).getByLabel("Options");
    await expect.poll(() => options.getAttribute("aria-invalid"), SOON).toBe("true");
    const optionsError = await options.getAttribute("aria-describedby");
    expect(await dialog(page).locator(`[id="${optionsError}"]`).textContent()).toBe("a choice field needs at least one option");
    expect(await label.inputValue(), "the label typed stays").toBe("Fit");
    expect(await dialog(page).getByLabel("Type").inputValue(), "the type chosen stays").toBe("choice");
    expect(await client.api.fields.list.query({}), "nothing was added").toEqual([]);

    await options.fill("Slim\nRegular");
    await dialog(page).getByRole("button", { name: "Add field" }).click();
    await expect.poll(() => dialog(page).count(), SOON).toBe(0);
    expect(await toast(page)).toContain("Added the field Fit (attributes.fit).");
    await expect.poll(() => fieldRows(page).count(), SOON).toBe(1);
    expect(await fieldRows(page).first().locator("td").allTextContents()).toEqual([
      "Fit",
      "attributes.fit",
      "Choice · Slim, Regular",
      "Optional",
      "EditDelete",
    ]);
    expect(await client.api.fields.list.query({})).toMatchObject([
      { key: "fit", label: "Fit", type: "choice", options: ["Slim", "Regular"], required: false },
    ]);
  } finally {
    await page.close();
  }
});

it("makes a field from a column no field takes during an import, maps the column to it, and the products hold the file's values", async () => {
  await client.api.products.create.mutate({ sku: "tee-1", name: "Organic tee" });
  await client.api.products.create.mutate({ sku: "cap-1", name: "Wool cap" });
  const rows = [
    { sku: "tee-1", name: "Organic tee", material: "Cotton", warranty: "2" },
    { sku: "cap-1", name: "Wool cap", material: "Wool", warranty: "3" },
    { sku: "scarf-1", name: "Silk scarf", material: "Silk", warranty: "1" },
  ];
  const page = await openPage("/imports");
  try {
    await chooseFile(page, "supplier-autumn.csv", ["SKU,Name,Material,Warranty years", ...rows.map((row) => Object.values(row).join(","))]);
    const unmapped = page.getByRole("region", { name: "Columns no field takes" });
    const column = (name: string) => unmapped.locator("li", { has: page.getByText(name, { exact: true }) });
    await expect.poll(() => unmapped.locator("li").count(), SOON).toBe(2);
    expect(await column("Material").textContent()).toContain("looks like text");
    expect(await column("Warranty years").textContent()).toContain("looks like whole number");

    await column("Material").getByRole("button", { name: "New field from this column" }).click();
    const form = page.getByRole("group", { name: "New field from Material" });
    const label = form.getByLabel("Label");
    await expect.poll(() => isFocused(label), SOON).toBe(true);
    expect(await label.inputValue(), "the label is the column's name").toBe("Material");
    expect(await form.getByLabel("Type").inputValue(), "the type is the guessed one").toBe("text");
    await form.getByRole("button", { name: "Create field" }).click();

    // The column now has a field: its select names it, and it is no longer listed as taken by none.
    const select = page.locator(".field-columns").getByLabel("Material");
    // Still on the import being set up, the new field's select shown.
    const shown = async () => ({ at: new URL(page.url()).pathname, selects: await select.count() });
    await expect.poll(shown, SOON).toEqual({ at: "/imports", selects: 1 });
    await expect.poll(() => select.inputValue(), SOON).toBe("Material");
    await expect.poll(() => column("Material").count(), SOON).toBe(0);
    expect(await column("Warranty years").count()).toBe(1);
    expect(await client.api.fields.list.query({})).toMatchObject([
      { key: "material", label: "Material", type: "text", options: null, required: false },
    ]);

    await page.getByRole("button", { name: "Upload and review" }).click();
    await page.waitForURL(/\/imports\/\d+$/);
    await expect.poll(() => page.locator("h1 .badge").textContent(), { timeout: 20_000 }).toBe("In review");
    const existing = rows.filter((row) => row.sku !== "scarf-1");
    expect(await page.locator(".review .meta", { hasText: "Of the updates" }).textContent()).toBe(
      `Of the updates, ${existing.length} change their material.`,
    );
    expect(await page.getByRole("row", { name: /tee-1/ }).textContent()).toContain("Material: (empty) → Cotton");

    await page.getByRole("button", { name: "Apply import" }).click();
    await expect.poll(() => page.locator("h1 .badge").textContent(), { timeout: 20_000 }).toBe("Completed");
    for (const row of rows) expect((await storedProduct(row.sku)).attributes, row.sku).toEqual({ material: row.material });
  } finally {
    await page.close();
  }
});

it("edits a product's own fields in its dialog: a value the field refuses is said beside it and nothing is saved, good ones are", async () => {
  await client.api.fields.create.mutate({ label: "Fit", type: "choice", options: ["Slim", "Regular"] });
  await client.api.fields.create.mutate({ label: "Material", type: "text" });
  await client.api.fields.create.mutate({ key: "width_cm", label: "Width (cm)", type: "number" });
  await client.api.products.create.mutate({ sku: "tee-1", name: "Organic tee", attributes: { fit: "Slim" } });
  const page = await openPage("/products");
  try {
    await page.getByRole("link", { name: "Edit tee-1" }).click();
    const yourFields = dialog(page).getByRole("group", { name: "Your fields" });
    const fit = yourFields.getByLabel("Fit");
    const material = yourFields.getByLabel("Material");
    const width = yourFields.getByLabel("Width (cm)");
    await expect.poll(() => fit.inputValue(), SOON).toBe("Slim");
    expect(await fit.evaluate((element) => element.tagName)).toBe("SELECT");
    expect(await material.inputValue()).toBe("");

    await fit.selectOption("Regular");
    await material.fill("Cotton");
    await width.fill("abc");
    await dialog(page).getByRole("button", { name: "Save changes" }).click();
    await expect.poll(() => width.getAttribute("aria-invalid"), SOON).toBe("true");
    const beside = yourFields.locator(".form-field", { has: page.getByLabel("Width (cm)") }).locator(".field-error");
    expect(await beside.textContent()).toContain('"abc" is not a number');
    expect(await beside.getAttribute("id"), "the input is described by its message").toBe(await width.getAttribute("aria-describedby"));
    expect(await fit.inputValue(), "what was chosen stays").toBe("Regular");
    expect(await material.inputValue(), "what was typed stays").toBe("Cotton");
    expect((await storedProduct("tee-1")).attributes, "nothing was saved").toEqual({ fit: "Slim" });

    await width.fill("42.5");
    await dialog(page).getByRole("button", { name: "Save changes" }).click();
    await expect.poll(() => toast(page), SOON).toContain("Saved tee-1.");
    expect((await storedProduct("tee-1")).attributes).toEqual({ fit: "Regular", material: "Cotton", width_cm: 42.5 });

    // Opened again, the dialog shows what is stored.
    await page.getByRole("link", { name: "Edit tee-1" }).click();
    await expect.poll(() => fit.inputValue(), SOON).toBe("Regular");
    expect(await material.inputValue()).toBe("Cotton");
    expect(await width.inputValue()).toBe("42.5");
  } finally {
    await page.close();
  }
});

it("asks before deleting a field, counting the products that hold a value, and the toast says how many were cleared", async () => {
  await client.api.fields.create.mutate({ label: "Fit", type: "choice", options: ["Slim", "Regular"] });
  await client.api.fields.create.mutate({ label: "Material", type: "text" });
  const products = [
    { sku: "tee-1", name: "Organic tee", attributes: { fit: "Slim", material: "Cotton" } },
    { sku: "tee-2", name: "Linen tee", attributes: { fit: "Regular" } },
    { sku: "cap-1", name: "Wool cap", attributes: { material: "Wool" } },
    { sku: "bag-1", name: "Tote bag", attributes: { material: "Canvas" } },
  ];
  for (const product of products) await client.api.products.create.mutate(product);
  const holding = products.filter((product) => "fit" in product.attributes).length;

  const page = await openPage("/fields");
  try {
    await page.getByRole("link", { name: "Delete Fit" }).click();
    await expect.poll(() => dialog(page).count(), SOON).toBe(1);
    expect(await dialog(page).getByRole("heading").textContent()).toBe("Delete Fit?");
    expect(await dialog(page).textContent()).toContain(`${holding} products hold a value`);
    expect(await client.api.fields.list.query({}), "asking deletes nothing").toHaveLength(2);

    await dialog(page).getByRole("button", { name: "Delete field" }).click();
    await expect.poll(() => dialog(page).count(), SOON).toBe(0);
    expect(await toast(page)).toContain(`${holding} products no longer hold a value`);
    await expect.poll(() => fieldRows(page).locator("td:first-child").allTextContents(), SOON).toEqual(["Material"]);
    for (const { sku, attributes } of products) {
      const { fit: _cleared, ...kept } = attributes as Record<string, string>;
      expect((await storedProduct(sku)).attributes, sku).toEqual(kept);
    }
  } finally {
    await page.close();
  }
});

/** What scrolls sideways at 390 px: the page, the box reaching past the screen's edge, or the box scrolling inside itself. */
const sideways = (page: Page, box: string) =>
  page.evaluate(
    ({ selector, width }) => {
      const element = document.querySelector(selector)!;
      const right = Math.ceil(element.getBoundingClientRect().right);
      return [
        document.documentElement.scrollWidth > width ? `the page is ${document.documentElement.scrollWidth} px wide` : null,
        right > width ? `${selector} reaches ${right} px` : null,
        element.scrollWidth > element.clientWidth ? `${selector} scrolls sideways (${element.scrollWidth} px in ${element.clientWidth} px)` : null,
      ].filter(Boolean);
    },
    { selector: box, width: PHONE.width },
  );

it("answers a field that does not exist with a 404 page naming it, not a server fault", async () => {
  for (const dialog of ["edit", "delete"]) {
    const response = await fetch(`${server.url}/fields/no_such_field/${dialog}`);
    expect(response.status).toBe(404);
    expect(await response.text()).toContain("There is no field");
  }
});

it("fits the Fields page, a long label, key and options listed, on a 390 px phone", async () => {
  await client.api.fields.create.mutate({
    key: "country_of_manufacture_as_printed_on_the_care_label",
    label: "Country of manufacture (as printed on the sewn-in care label)",
    type: "choice",
    options: ["Made in the European Union", "Made in the United Kingdom of Great Britain and Northern Ireland", "Made elsewhere"],
    required: true,
  });
  const page = await openPage("/fields", PHONE);
  try {
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    expect(await fieldRows(page).count()).toBe(1);
    expect(await sideways(page, ".table-scroll:has(.fields-table)")).toEqual([]);
  } finally {
    await page.close();
  }
});

it("fits the mapping step's columns no field takes, a new field's form open, on a 390 px phone", async () => {
  await client.api.fields.create.mutate({ label: "Country of manufacture (as printed on the sewn-in care label)", type: "text" });
  const longColumn = "Manufacturer_country_of_origin_ISO_3166_alpha_2_code_for_customs_declarations";
  const page = await openPage("/imports", PHONE);
  try {
    await chooseFile(page, "lieferant-katalog-export-herbst.csv", [
      `SKU,Name,${longColumn},Care instructions in full as printed on the label`,
      "supplier-very-long-sku-0001-with-more-words,Ergonomic standing desk with cable tray,DE,Wipe with a damp cloth; do not use solvents",
    ]);
    const unmapped = page.getByRole("region", { name: "Columns no field takes" });
    await expect.poll(() => unmapped.locator("li").count(), SOON).toBe(2);
    await unmapped.locator("li", { hasText: longColumn }).getByRole("button", { name: "New field from this column" }).click();
    await expect.poll(() => page.getByRole("group", { name: `New field from ${longColumn}` }).count()).toBe(1);
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    expect(await sideways(page, ".unmapped-columns")).toEqual([]);
  } finally {
    await page.close();
  }
});

it("runs under the Content-Security-Policy without a single refusal", () => {
  expect(cspViolations(browser)).toEqual([]);
});
