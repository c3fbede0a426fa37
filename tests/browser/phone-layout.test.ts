import { afterAll, beforeAll, expect, it } from "vitest";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { tmpdir } from "node:os";
import pg from "pg";
import type { Browser, Page } from "playwright-core";
import { EVENT_TYPES } from "../../db/schema.js";
import { apiClient } from "../support/api-client.js";
import { startAppProcess, type AppProcess } from "../support/app-process.js";
import { cspViolations, launchBrowser } from "../support/browser.js";
import { startReceiver, type Receiver } from "../support/receiver.js";
import { createTestDatabase } from "../support/test-database.js";
import { waitUntil } from "../support/wait.js";

/**
 * Every page usable on a 390 px phone without sideways scrolling: each page of app/routes is loaded
 * at 390 × 844 with realistic data (long SKUs, names, URLs) and fails, naming the elements, when
 * anything reaches past the screen's edge, or when a list scrolls sideways inside its box (only the
 * mapping step's preview of the file's columns may). /products is photographed for the README.
 */

const PHONE = { width: 390, height: 844 };
/** The README's picture is rewritten only when asked (its dates change every run); otherwise it goes to a temporary file. */
const SCREENSHOT =
  process.env.UPDATE_SCREENSHOTS === "1"
    ? path.resolve(import.meta.dirname, "../../docs/images/products-phone.png")
    : path.join(tmpdir(), `products-phone-${process.pid}.png`);
const PASSWORD = "a long shared password";

const LONG_SKU = "supplier-very-long-sku-0001-with-more-words";
const GROUPED_HANDLE = "heavyweight-organic-cotton-hoodie-with-kangaroo-pocket";
const LONG_NAME =
  "Ergonomic height-adjustable standing desk with cable management tray, memory presets and anti-collision sensor (oak veneer, 160 × 80 cm)";
const LONG_DESCRIPTION =
  "Solid oak veneer top on a dual-motor steel frame; lifts from 62 to 127 cm in 25 seconds and remembers four heights. " +
  "Datasheet: https://supplier.example.com/catalogue/office-furniture/standing-desks/ergonomic-height-adjustable-desk-oak-160x80-datasheet.pdf";

let open: AppProcess;
let locked: AppProcess;
let receiver: Receiver;
let browser: Browser;

/** The ids the pages below are reached by, found while seeding. */
const seeded = {
  productId: "",
  otherProductId: "",
  rejectedImportId: "",
  revertibleImportId: "",
  failedImportId: "",
  reviewImportId: "",
  webhookId: "",
  failingWebhookId: "",
  feedId: "",
};

const csv = (rows: string[][]) =>
  rows.map((row) => row.map((cell) => (/[",\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell)).join(",")).join("\n") + "\n";

/**
 * Multipart upload with options sent before the file part, as CONTRACT.md's POST /api/imports takes them.
 * A file that cannot be read is refused (400) yet recorded as a failed import: its id comes back too.
 */
async function upload(app: AppProcess, content: string, filename: string, options: Record<string, string> = {}, expected = 202): Promise<string> {
  const form = new FormData();
  for (const [key, value] of Object.entries(options)) form.append(key, value);
  form.append("file", new Blob([content], { type: "text/csv" }), filename);
  const response = await fetch(`${app.url}/api/imports`, { method: "POST", body: form });
  const body = (await response.json()) as { id?: string; error?: string };
  if (response.status !== expected || !body.id) throw new Error(`upload of ${filename} answered ${response.status}: ${JSON.stringify(body)}`);
  return body.id;
}

async function seedOpenApp() {
  const client = apiClient(open.url);
  const { api } = client;
  // Fields with long labels and a long choice, so the Fields page, the product dialog and the filters show them.
  await api.fields.create.mutate({ label: "Country of origin (as printed on the care label)", type: "text" });
  await api.fields.create.mutate({
    key: "fit_of_the_garment_as_the_supplier_names_it",
    label: "Fit",
    type: "choice",
    options: ["Slim", "Regular", "Relaxed and wide through the leg"],
  });
  await api.fields.create.mutate({ label: "Launch date", type: "date" });
  // Endpoints first, so the imports below are delivered (and logged) to them. Loopback only.
  const webhook = await api.webhooks.create.mutate({
    url: `${receiver.url}/product-importer/catalog-events/warehouse-sync-integration-0001?tenant=acme-wholesale-europe&source=product-importer`,
    events: [...EVENT_TYPES],
  });
  seeded.webhookId = String(webhook.id);
  const failing = await api.webhooks.create.mutate({
    url: "http://127.0.0.1:9/some/very/long/path/that/nobody/listens/on/for-product-importer-webhook-deliveries-0001",
    events: ["import.completed", "import.failed"],
  });
  seeded.failingWebhookId = String(failing.id);

  // A catalog of 60 (more than one page of 50), with the long SKU, name and description.
  const products = [
    [LONG_SKU, LONG_NAME, LONG_DESCRIPTION, "yes"],
    ["lamp-1", "Desk lamp", "Warm white LED, 40 cm arm", "yes"],
    ["chair-ergo-2", "Mesh office chair with adjustable lumbar support and 4D armrests", "Breathable mesh back; seat depth adjustable by 6 cm", "no"],
    ...Array.from({ length: 57 }, (_, i) => {
      const n = String(i + 4).padStart(4, "0");
      return [`ACC-${n}`, `Monitor arm accessory ${n}`, `Clamp or grommet mount, VESA 75/100, load ${(i % 9) + 2} kg`, i % 5 === 0 ? "no" : "yes"];
    }),
  ];
  await client.waitForImport(
    await upload(open, csv([["sku", "name", "description", "active"], ...products]), "supplier-catalogue-2024-autumn-full-export.csv"),
  );

  // A product of three variants under a long handle, with options and an image: a group's line.
  const hoodie = csv([
    ["sku", "name", "handle", "option1 name", "option1 value", "option2 name", "option2 value", "price", "images"],
    ...["S", "M", "XL"].map((size) => [
      `HOODIE-HEAVYWEIGHT-ORGANIC-${size}`,
      "Heavyweight hoodie",
      GROUPED_HANDLE,
      "Size",
      size,
      "Colour",
      "Heather grey melange",
      `${49 + size.length}.00`,
      `https://cdn.example.com/products/${GROUPED_HANDLE}/front-view-high-resolution.jpg`,
    ]),
  ]);
  await client.waitForImport(await upload(open, hoodie, "hoodie-variants.csv"));

  // Some rows the import rejects: the import page lists them.
  const rejected = csv([
    ["sku", "name", "description", "active"],
    ["lamp-1", "Desk lamp (new model)", "Warm white LED, 45 cm arm", "yes"],
    ["", "A row without its SKU", "Nothing to match it by", "yes"],
    ["supplier-very-long-sku-0002-with-even-more-words-than-the-first", "Shelf", "Wall shelf", "perhaps"],
    ["cable-tray-9", "", "A row without a name", "yes"],
  ]);
  const withWrongFieldCount = rejected + "too-many,Fields,In,This,Row,Of,The,Supplier,File\n";
  seeded.rejectedImportId = await upload(open, withWrongFieldCount, "supplier-price-update-with-rejected-rows.csv");
  const rejectedImport = await client.waitForImport(seeded.rejectedImportId);
  expect(rejectedImport.errorCount, "the import with rejected rows rejects some").toBeGreaterThan(0);

  // A file read through a chosen mapping: /imports lists it as a saved mapping.
  const mapped = csv([
    ["Item Number", "Product Title", "Long Description"],
    ["MAP-0001", "Cable management spine for standing desks", "Flexible vertebrae, 130 cm"],
  ]);
  seeded.revertibleImportId = await upload(open, mapped, "webshop-export-with-other-column-names.csv", {
    mapping: JSON.stringify({ sku: "Item Number", name: "Product Title", description: "Long Description" }),
  });
  const revertible = await client.waitForImport(seeded.revertibleImportId);
  expect(revertible.revertible, "the mapped import can be undone").toBe(true);

  // A file that is not CSV at all past line 2: the import fails with a message.
  seeded.failedImportId = await upload(
    open,
    'sku,name\nok-1,Fine\nbad-2,"An unterminated quote\n',
    "broken-export-from-the-old-erp-system.csv",
    {},
    400,
  );
  await client.waitForImport(seeded.failedImportId);

  // Held for review: the page shows what it would change.
  seeded.reviewImportId = await upload(
    open,
    csv([
      ["sku", "name", "description", "active"],
      [LONG_SKU, `${LONG_NAME} – 2025 edition`, LONG_DESCRIPTION, "yes"],
      ["chair-ergo-2", "Mesh office chair", "Breathable mesh back", "yes"],
      ["NEW-supplier-very-long-sku-0003-with-more-words", "Under-desk drawer unit with three lockable drawers", "Fits desks from 60 cm deep", "yes"],
    ]),
    "supplier-catalogue-2025-spring-review.csv",
    { review: "1" },
  );
  await client.waitForImport(seeded.reviewImportId, (item) => item.status === "review");

  const [first] = (await api.products.list.query({ sku: LONG_SKU })).items;
  const [other] = (await api.products.list.query({ sku: "chair-ergo-2" })).items;
  seeded.productId = String(first!.id);
  seeded.otherProductId = String(other!.id);

  // A feed with a long title and URL whose source answers no file: a failed run with its reason.
  const feed = await api.feeds.create.mutate({
    name: "Großhandel Müller & Söhne nightly full catalogue export (all warehouses)",
    url: `${receiver.url}/exports/catalogue/full/2025/all-warehouses-including-rotterdam-and-hamburg-nightly.csv?token=abcdef0123456789`,
    schedule: "0 6 * * *",
    headers: { Authorization: "Bearer 0123456789abcdef" },
  });
  seeded.feedId = String(feed.id);
  await api.feeds.run.mutate({ id: feed.id });
  await waitUntil("the feed's run to end", async () => (await api.feeds.get.query({ id: feed.id })).lastRun?.status === "failed", 20_000, 200);

  await api.webhooks.test.mutate({ id: seeded.webhookId });
  await api.webhooks.test.mutate({ id: seeded.failingWebhookId });
  await api.apiTokens.create.mutate({ name: "ERP nightly sync for the Rotterdam warehouse", scope: "write" });
  await api.apiTokens.create.mutate({ name: "Reporting dashboard", scope: "read" });

  // The deliveries page lists the test and the imports' events, with their answers.
  await waitUntil(
    "the endpoint to get the test and the imports' events",
    async () => (await api.webhooks.deliveries.query({ id: seeded.webhookId })).total >= 3,
    20_000,
    200,
  );
}

/** The password-protected app: one endpoint failing for two hours, so every page carries the alert banner. */
async function seedLockedApp(databaseUrl: string) {
  const { api } = apiClient(locked.url, { headers: { Authorization: `Bearer ${PASSWORD}` } });
  await api.webhooks.create.mutate({ url: "http://127.0.0.1:9/hooks/failing-for-two-hours-already", events: ["product.created"] });
  await api.products.create.mutate({ sku: LONG_SKU, name: LONG_NAME, description: LONG_DESCRIPTION });
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await db.query("UPDATE webhooks SET failing_since = now() - interval '2 hours'");
  } finally {
    await db.end();
  }
}

beforeAll(async () => {
  const [openDb, lockedDb] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  receiver = await startReceiver(() => ({ status: 202, body: '{"accepted":true,"requestId":"7f3c2a9e-1b4d-4c8a-9e2f-5a6b7c8d9e0f"}' }));
  [open, locked] = await Promise.all([
    startAppProcess({ DATABASE_URL: openDb, WEBHOOK_ALLOW_PRIVATE_NETWORKS: "1", FEED_ALLOW_PRIVATE_NETWORKS: "1", FEED_RETRY_DELAYS: "0.1,0.1" }),
    startAppProcess({ DATABASE_URL: lockedDb, APP_PASSWORD: PASSWORD, WEBHOOK_ALLOW_PRIVATE_NETWORKS: "1" }),
  ]);
  browser = await launchBrowser();
  await Promise.all([seedOpenApp(), seedLockedApp(lockedDb)]);
});
afterAll(async () => {
  await browser?.close();
  await Promise.all([open?.stop(), locked?.stop()]);
  await receiver?.close();
});

async function phonePage(): Promise<Page> {
  return browser.newPage({ viewport: PHONE });
}

async function logIn(page: Page) {
  await page.goto(`${locked.url}/login`);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect.poll(() => new URL(page.url()).pathname, { timeout: 10_000 }).not.toBe("/login");
}

/** Loaded, hydrated (dialogs reopened modally, toolbars enabled), fonts in, and (unless told) every <details> open. */
async function settle(page: Page, { openDetails = true } = {}) {
  await page.waitForFunction(() => "__remixRouter" in window);
  await page.waitForLoadState("networkidle", { timeout: 3_000 }).catch(() => {});
  if ((await page.locator("dialog.modal").count()) > 0) await page.waitForFunction(() => document.querySelector("dialog.modal")?.matches(":modal"));
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  if (openDetails) await page.locator("details").evaluateAll((all) => all.forEach((element) => ((element as HTMLDetailsElement).open = true)));
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

interface Overflow {
  scrollWidth: number;
  /** Visible boxes reaching past an edge of the screen that no clipping ancestor hides: the outermost of each nest. */
  offenders: { element: string; right: number; left: number; width: number; text: string; inDialog: boolean; widestInside: string | null }[];
  /** A modal dialog whose own content scrolls sideways. */
  dialogs: { element: string; scrollWidth: number; clientWidth: number }[];
  /** Boxes that scroll sideways inside the page (a wide table in its scroller): only SCROLLS_BY_NATURE may. */
  scrollers: { element: string; scrollWidth: number; clientWidth: number }[];
}

/** Runs in the page: what sticks out past `limit` px, named by tag, classes and nearest ancestors. */
function measureOverflow(limit: number): Overflow {
  const name = (element: Element) => {
    const id = element.id ? `#${element.id}` : "";
    const classes = typeof element.className === "string" && element.className.trim() ? `.${element.className.trim().split(/\s+/).join(".")}` : "";
    return `${element.tagName.toLowerCase()}${id}${classes}`;
  };
  const selector = (element: Element) => {
    const parts: string[] = [];
    for (let at: Element | null = element; at && at !== document.body && parts.length < 4; at = at.parentElement) parts.unshift(name(at));
    return parts.join(" > ");
  };
  const text = (element: Element) => (element.textContent ?? "").replace(/\s+/g, " ").trim().slice(0, 60);
  const clipsSideways = (element: Element) => getComputedStyle(element).overflowX !== "visible";
  const sticksOut = new Map<Element, DOMRect>();
  for (const element of document.querySelectorAll("body, body *")) {
    if (["SCRIPT", "STYLE", "TEMPLATE", "NOSCRIPT", "LINK"].includes(element.tagName)) continue;
    if (!element.checkVisibility({ visibilityProperty: true })) continue;
    const rect = element.getBoundingClientRect();
    // The visually-hidden pattern: a 1 px box clipped to nothing.
    if (rect.width < 2 || rect.height < 2 || getComputedStyle(element).clip === "rect(0px, 0px, 0px, 0px)") continue;
    if (rect.right <= limit + 0.5 && rect.left >= -0.5) continue;
    // Inside a box that clips or scrolls sideways, it can reach no further than that box (checked on its own).
    // body and html are not counted: `overflow-x: hidden` there would only cut the content off.
    let clipped = false;
    for (let at = element.parentElement; at && at !== document.body && at !== document.documentElement; at = at.parentElement) {
      if (clipsSideways(at)) {
        clipped = true;
        break;
      }
    }
    if (!clipped) sticksOut.set(element, rect);
  }
  const outermost = [...sticksOut.keys()].filter((element) => {
    for (let at = element.parentElement; at; at = at.parentElement) if (sticksOut.has(at)) return false;
    return true;
  });
  const offenders = outermost.map((element) => {
    const rect = sticksOut.get(element)!;
    let widest: Element | null = null;
    for (const [inner, innerRect] of sticksOut) {
      if (inner !== element && element.contains(inner) && innerRect.right >= (widest ? sticksOut.get(widest)!.right : rect.right - 0.5))
        widest = inner;
    }
    return {
      element: selector(element),
      right: Math.round(rect.right),
      left: Math.round(rect.left),
      width: Math.round(rect.width),
      text: text(element),
      inDialog: element.closest("dialog") !== null,
      widestInside: widest ? `${name(widest)} (right edge ${Math.round(sticksOut.get(widest)!.right)} px, "${text(widest).slice(0, 30)}")` : null,
    };
  });
  const dialogs = [...document.querySelectorAll("dialog")]
    .filter((dialog) => dialog.matches(":modal") && dialog.scrollWidth > dialog.clientWidth + 1)
    .map((dialog) => ({ element: selector(dialog), scrollWidth: dialog.scrollWidth, clientWidth: dialog.clientWidth }));
  const scrollers = [...document.querySelectorAll("body *")]
    .filter(
      (element) =>
        element.tagName !== "DIALOG" && clipsSideways(element) && element.scrollWidth > element.clientWidth + 1 && element.checkVisibility(),
    )
    .filter((element) => ["auto", "scroll"].includes(getComputedStyle(element).overflowX))
    .map((element) => ({ element: selector(element), scrollWidth: element.scrollWidth, clientWidth: element.clientWidth }));
  return { scrollWidth: document.documentElement.scrollWidth, offenders, dialogs, scrollers };
}

/**
 * The boxes that may scroll sideways inside the page: the mapping step's preview shows the file's own
 * columns, as many as the file has. Every other list must fit the screen (cards on a phone).
 */
const SCROLLS_BY_NATURE = ["div.table-scroll.preview"];

/** The failures, one line each, naming the page and each element and by how much it sticks out. */
function problemsOf(page: string, overflow: Overflow): string[] {
  const problems: string[] = [];
  if (overflow.scrollWidth > PHONE.width) {
    problems.push(
      `${page}: the page is ${overflow.scrollWidth} px wide, it scrolls ${overflow.scrollWidth - PHONE.width} px sideways at ${PHONE.width} px`,
    );
  }
  for (const offender of overflow.offenders.slice(0, 10)) {
    const past = [
      offender.right > PHONE.width ? `right edge ${offender.right} px, ${offender.right - PHONE.width} px past the screen` : null,
      offender.left < 0 ? `left edge ${offender.left} px, off the left of the screen` : null,
    ].filter(Boolean);
    problems.push(
      `${page}: ${offender.inDialog ? "[in the dialog] " : ""}${offender.element} (${offender.width} px wide): ${past.join("; ")}; "${offender.text}"` +
        (offender.widestInside ? `; reaching furthest inside: ${offender.widestInside}` : ""),
    );
  }
  if (overflow.offenders.length > 10) problems.push(`${page}: and ${overflow.offenders.length - 10} more elements past the edge`);
  for (const dialog of overflow.dialogs) {
    problems.push(`${page}: the dialog ${dialog.element} scrolls sideways: ${dialog.scrollWidth} px of content in ${dialog.clientWidth} px`);
  }
  for (const scroller of overflow.scrollers.filter((box) => !SCROLLS_BY_NATURE.some((allowed) => box.element.includes(allowed)))) {
    problems.push(`${page}: ${scroller.element} scrolls sideways inside the page (${scroller.scrollWidth} px in ${scroller.clientWidth} px)`);
  }
  return problems;
}

interface PhonePage {
  /** The route file and what the page shows, for the failure message. */
  name: string;
  path: () => string;
  app?: "open" | "locked";
  /** Logged in first (the locked app's pages but /login). */
  session?: boolean;
  status?: number;
  /** Brings the page to a state it has only after a click (a chosen file, a ticked box). */
  prepare?: (page: Page) => Promise<void>;
}

const PAGES: PhonePage[] = [
  { name: "_index.tsx: / (redirects to the products)", path: () => "/" },
  { name: "products.tsx: the catalog, 60 products with a long SKU and name", path: () => "/products" },
  { name: "products.tsx: filtered and sorted, page 2 of 25", path: () => "/products?name=a&sort=name&order=desc&size=25&page=2" },
  { name: "products.tsx: a group's line opened to its variants", path: () => `/products?open=${GROUPED_HANDLE}&sort=sku&order=desc` },
  {
    name: "products.tsx: a whole page ticked (bulk toolbar with 'Select all matching')",
    path: () => "/products",
    prepare: async (page) => {
      await page.getByLabel("Select page").check();
      await expect.poll(() => page.locator(".selection-status").textContent()).toMatch(/^[\d,]+ selected/);
    },
  },
  { name: "products.new.tsx: the add-product dialog", path: () => "/products/new" },
  { name: "products.$id.edit.tsx: the edit dialog of the long SKU", path: () => `/products/${seeded.productId}/edit` },
  { name: "products.$id.delete.tsx: the delete dialog of the long SKU", path: () => `/products/${seeded.productId}/delete` },
  { name: "products.delete-all.tsx: the delete-all dialog", path: () => "/products/delete-all" },
  {
    name: "products.bulk.tsx: the bulk dialog for two ticked products",
    path: () => `/products/bulk?intent=deactivate&id=${seeded.productId}&id=${seeded.otherProductId}`,
  },
  { name: "products.bulk.tsx: the bulk dialog for every product", path: () => "/products/bulk?intent=delete&scope=matching" },
  { name: "imports._index.tsx: upload form, history and a saved mapping", path: () => "/imports" },
  {
    name: "imports._index.tsx: the mapping step of a chosen file (columns and first rows)",
    path: () => "/imports",
    prepare: async (page) => {
      const file = csv([
        ["Artikelnummer", "Bezeichnung", "Beschreibung", "Status"],
        [LONG_SKU, LONG_NAME, LONG_DESCRIPTION, "active"],
      ]);
      await page.getByLabel("CSV file").setInputFiles({ name: "lieferant-katalog-export.csv", mimeType: "text/csv", buffer: Buffer.from(file) });
      await expect.poll(() => page.locator(".preview").count(), { timeout: 10_000 }).toBeGreaterThan(0);
    },
  },
  { name: "imports.$id.tsx: a completed import with rejected rows", path: () => `/imports/${seeded.rejectedImportId}` },
  { name: "imports.$id.tsx: a completed import read through a mapping", path: () => `/imports/${seeded.revertibleImportId}` },
  { name: "imports.$id.tsx: a failed import", path: () => `/imports/${seeded.failedImportId}` },
  { name: "imports.$id.tsx: an import held for review (its changes)", path: () => `/imports/${seeded.reviewImportId}` },
  { name: "imports.$id.tsx: the review's repeated SKUs link followed", path: () => `/imports/${seeded.reviewImportId}?repeated=1` },
  { name: "imports.$id.undo.tsx: the undo dialog", path: () => `/imports/${seeded.revertibleImportId}/undo` },
  { name: "imports.$id.apply.tsx: the stale-review question", path: () => `/imports/${seeded.reviewImportId}/apply` },
  { name: "root ErrorBoundary: an import that does not exist", path: () => "/imports/999999", status: 404 },
  { name: "webhooks.tsx: two endpoints with long URLs, secrets shown", path: () => "/webhooks" },
  { name: "webhooks.new.tsx: the add-endpoint dialog", path: () => "/webhooks/new" },
  { name: "webhooks.$id.edit.tsx: the edit dialog of a long URL", path: () => `/webhooks/${seeded.webhookId}/edit` },
  { name: "webhooks.$id.delete.tsx: the delete dialog of a long URL", path: () => `/webhooks/${seeded.webhookId}/delete` },
  { name: "webhooks_.$id.tsx: deliveries with headers and answers", path: () => `/webhooks/${seeded.webhookId}` },
  { name: "webhooks_.$id.tsx: deliveries that failed (connection refused)", path: () => `/webhooks/${seeded.failingWebhookId}` },
  { name: "webhooks_.events.tsx: the event types, schemas and examples open", path: () => "/webhooks/events" },
  { name: "feeds.tsx: a feed with a long title and URL, its last run failed", path: () => "/feeds" },
  { name: "feeds_.$id.tsx: a feed's runs with the failure's reason", path: () => `/feeds/${seeded.feedId}` },
  { name: "feeds_.$id.delete.tsx: the delete dialog of a feed", path: () => `/feeds/${seeded.feedId}/delete` },
  { name: "feeds_.new.tsx: the feed form", path: () => "/feeds/new" },
  { name: "feeds_.$id_.edit.tsx: the feed form of a saved feed", path: () => `/feeds/${seeded.feedId}/edit` },
  { name: "fields.tsx: three fields with long labels, keys and options", path: () => "/fields" },
  { name: "fields.new.tsx: the add-field dialog", path: () => "/fields/new" },
  { name: "fields.$key.edit.tsx: the edit dialog of a choice field", path: () => "/fields/fit_of_the_garment_as_the_supplier_names_it/edit" },
  { name: "fields.$key.delete.tsx: the delete dialog", path: () => "/fields/launch_date/delete" },
  { name: "access.tsx: two tokens listed", path: () => "/access" },
  {
    name: "access.tsx: a new token's secret shown once",
    path: () => "/access",
    prepare: async (page) => {
      await page.getByLabel("Name").fill("Shopify storefront stock sync (production)");
      await page.getByRole("button", { name: "Create token" }).click();
      await expect.poll(() => page.locator(".token-secret").count(), { timeout: 10_000 }).toBe(1);
    },
  },
  { name: "login.tsx: the login page (APP_PASSWORD set)", path: () => "/login", app: "locked" },
  {
    name: "login.tsx: a wrong password refused inline",
    path: () => "/login",
    app: "locked",
    prepare: async (page) => {
      await page.getByLabel("Password").fill("wrong guess");
      await page.getByRole("button", { name: "Log in" }).click();
      // Checking a password takes a while on purpose.
      await expect.poll(() => page.locator("#password-error").count(), { timeout: 10_000 }).toBe(1);
    },
  },
  { name: "products.tsx: logged in (Log out in the header) with the alert banner", path: () => "/products", app: "locked", session: true },
];

it.each(PAGES)("$name: fits 390 px without sideways scrolling", async ({ name, path: pathOf, app, session, status, prepare }) => {
  const server = app === "locked" ? locked : open;
  const page = await phonePage();
  try {
    if (session) await logIn(page);
    const response = await page.goto(`${server.url}${pathOf()}`);
    expect(response?.status(), `${name}: ${pathOf()} answers`).toBe(status ?? 200);
    await settle(page);
    if (prepare) {
      await prepare(page);
      await settle(page);
    }
    const overflow = await page.evaluate(measureOverflow, PHONE.width);
    expect(problemsOf(`${pathOf()} (${name})`, overflow)).toEqual([]);
  } finally {
    await page.close();
  }
});

it("keeps the header's navigation on the first screen of /products at 390 px, every link visible and tappable", async () => {
  const pages = [
    { label: "open", server: open, links: ["Products", "Imports", "Webhooks", "Access"] },
    { label: "logged in", server: locked, links: ["Products", "Imports", "Webhooks", "Access"] },
  ];
  const problems: string[] = [];
  for (const { label, server, links } of pages) {
    const page = await phonePage();
    try {
      if (server === locked) await logIn(page);
      await page.goto(`${server.url}/products`);
      await settle(page);
      const nav = page.getByRole("navigation", { name: "Main" });
      const targets = [...links.map((link) => ({ name: link, locator: nav.getByRole("link", { name: link, exact: true }) }))];
      if (server === locked) targets.push({ name: "Log out", locator: page.getByRole("button", { name: "Log out" }) });
      for (const target of targets) {
        const box = await target.locator.boundingBox();
        if (!box || !(await target.locator.isVisible())) {
          problems.push(`${label}: "${target.name}" is not visible`);
          continue;
        }
        if (box.x < 0 || box.x + box.width > PHONE.width + 0.5 || box.y < 0 || box.y + box.height > PHONE.height) {
          problems.push(
            `${label}: "${target.name}" is at x ${Math.round(box.x)}–${Math.round(box.x + box.width)}, y ${Math.round(box.y)}: off the first screen`,
          );
          continue;
        }
        // Tappable: nothing covers its middle.
        const onTop = await target.locator.evaluate((element) => {
          const rect = element.getBoundingClientRect();
          const hit = document.elementFromPoint(rect.left + rect.width / 2, rect.top + rect.height / 2);
          return hit !== null && (element === hit || element.contains(hit));
        });
        if (!onTop) problems.push(`${label}: "${target.name}" is covered by another element`);
      }
    } finally {
      await page.close();
    }
  }
  expect(problems).toEqual([]);
});

it("takes the README's phone screenshot of /products (docs/images/products-phone.png with UPDATE_SCREENSHOTS=1)", async () => {
  const page = await phonePage();
  try {
    await page.goto(`${open.url}/products`);
    await settle(page, { openDetails: false });
    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    const image = await page.screenshot({ path: SCREENSHOT, fullPage: false });
    expect(image.length).toBeGreaterThan(10_000);
  } finally {
    await page.close();
  }
});

it("runs under the Content-Security-Policy without a single refusal", () => {
  expect(cspViolations(browser)).toEqual([]);
});
