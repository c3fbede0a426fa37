import { z } from "zod";
import { EVENT_TYPES, type EventType } from "../../db/schema.js";
import { EVENT_PAYLOADS, TEST_PAYLOAD, type EventPayload } from "./event-payloads.js";

const EXAMPLE_PRODUCT: EventPayload<"product.created"> = {
  id: "42",
  sku: "CAP-BLUE-M",
  name: "Baseball cap, blue, M",
  description: "Washed cotton twill, adjustable strap.",
  active: true,
  price: "24.90",
  compareAtPrice: "29.90",
  stock: 118,
  barcode: "4006381333931",
  weightGrams: "85",
  brand: "Northwind",
  category: "Apparel > Headwear",
  tags: ["cotton", "summer"],
  group: "baseball-cap",
  options: [
    { name: "Color", value: "Blue" },
    { name: "Size", value: "M" },
  ],
  images: ["https://cdn.example.com/caps/blue-front.jpg", "https://cdn.example.com/caps/blue-side.jpg"],
  attributes: { material: "Cotton twill", fit: "Regular" },
  createdAt: "2026-11-23T10:15:02.114Z",
  updatedAt: "2026-12-01T08:02:45.900Z",
  lastChange: { kind: "import", importId: "17", at: "2026-12-01T08:02:45.900Z" },
};

const EXAMPLE_IMPORT: EventPayload<"import.completed"> = {
  id: "17",
  filename: "catalog-december.csv",
  status: "completed",
  totalRows: 500_000,
  createdCount: 1_204,
  updatedCount: 465_489,
  unchangedCount: 460_012,
  skippedCount: 0,
  removedCount: 0,
  repeatedCount: 33_307,
  foldedCount: 0,
  errorCount: 0,
  warningCount: 0,
  mode: "upsert",
  error: null,
  startedAt: "2026-12-01T08:02:31.210Z",
  finishedAt: "2026-12-01T08:02:45.900Z",
  durationMs: 16_204,
};

/** What each event type means and an example of its `data`; the schema comes from event-payloads.ts. */
const ENTRIES: { [T in EventType]: { description: string; example: EventPayload<T> } } = {
  "product.created": {
    description: "A product was created in the UI or through the API (imports send one import.completed instead).",
    example: EXAMPLE_PRODUCT,
  },
  "product.updated": {
    description: "A product was edited in the UI or through the API, or changed by a bulk action touching at most 1,000 products.",
    example: {
      ...EXAMPLE_PRODUCT,
      lastChange: { kind: "edit", importId: null, at: EXAMPLE_PRODUCT.updatedAt },
      previous: { price: "27.90", stock: 120 },
    },
  },
  "product.deleted": {
    description: "A product was deleted (one by one, or by a bulk delete of at most 1,000); data is the product as it was.",
    example: EXAMPLE_PRODUCT,
  },
  "products.deleted_all": { description: "Every product was deleted at once (Delete all).", example: { deleted: 466_693 } },
  "products.bulk_updated": {
    description:
      "More than 1,000 products were changed at once by a bulk action (fields set, such as active or the price; tags added or removed); up to 1,000 send one product.updated each instead, with their earlier values in previous. count is the products that changed.",
    example: { filter: { brand: "northwind", category: "Apparel" }, set: { price: "19.90", active: true }, addTags: ["sale"], count: 12_408 },
  },
  "products.bulk_deleted": {
    description: "More than 1,000 products were deleted at once (a bulk action); up to 1,000 send one product.deleted each instead.",
    example: { filter: { active: false }, count: 46_669 },
  },
  "import.completed": {
    description:
      "An import was applied: one event per import, with its counts, never one per row. updatedCount counts every existing product the file named, changed or not; unchangedCount is the part of it already as in the file, so updatedCount - unchangedCount products changed.",
    example: EXAMPLE_IMPORT,
  },
  "import.failed": {
    description: "An import stopped without changing the catalog; error says why.",
    example: {
      ...EXAMPLE_IMPORT,
      status: "failed",
      createdCount: 0,
      updatedCount: 0,
      unchangedCount: 0,
      repeatedCount: 0,
      error: "The file has no sku column.",
    },
  },
  "import.reverted": {
    description:
      "An import was undone: what it created is removed, what it changed restored; kept counts products changed since and left as they are.",
    example: { ...EXAMPLE_IMPORT, status: "reverted", restored: 465_489, removed: 1_204, kept: 0 },
  },
  "webhook.disabled": {
    description:
      "An endpoint was switched off automatically (its retries ran out, or it answered 410 Gone); sent to the other endpoints subscribed to it.",
    example: {
      id: "3",
      url: "https://erp.example.com/hooks/products",
      reason: "Switched off: 14 attempts over 72 h all failed (last: HTTP 502).",
      disabledAt: "2026-12-04T08:02:46.012Z",
    },
  },
  "import.held": {
    description:
      "A feed fetched a changed file, but its review went past one of the feed's limits: the import waits in review for a person to apply or discard it. status is review.",
    example: {
      ...EXAMPLE_IMPORT,
      filename: "supplier-nightly.csv.gz",
      status: "review",
      createdCount: 0,
      updatedCount: 0,
      unchangedCount: 0,
      repeatedCount: 0,
      finishedAt: null,
      durationMs: null,
      mode: "sync",
      feedId: "4",
      reason: "would deactivate 31% of the catalog (144,675 products); this feed allows 5%",
    },
  },
  "feed.failed": {
    description:
      "A feed's run failed after its tries: the source could not be reached, answered an error, stalled or sent a file that cannot be read.",
    example: {
      feedId: "4",
      name: "Northwind nightly",
      url: "https://supplier.example.com/exports/catalog.csv.gz",
      runId: "311",
      reason: "The source answered HTTP 503 Service Unavailable (3 tries over 9 s).",
    },
  },
};

const message = (type: string, data: z.ZodType) =>
  z.strictObject({
    id: z.uuid().describe("The event's id; also the webhook-id header, the same on every retry"),
    type: z.literal(type),
    createdAt: z.iso.datetime({ offset: true }),
    data,
  });

export interface EventTypeEntry {
  type: string;
  description: string;
  /** JSON Schema (draft 2020-12) of the whole message a receiver gets. */
  schema: unknown;
  example: { id: string; type: string; createdAt: string; data: unknown };
}

const EXAMPLE_ID = "0b6f3c52-8f7e-4c1e-9a51-3d2a7f1e9c44";

/** Every event type a webhook can receive, with the JSON Schema of its message and an example. */
export const EVENT_CATALOG: EventTypeEntry[] = [
  ...EVENT_TYPES.map((type) => ({
    type,
    description: ENTRIES[type].description,
    schema: z.toJSONSchema(message(type, EVENT_PAYLOADS[type])),
    example: { id: EXAMPLE_ID, type, createdAt: "2026-12-01T08:02:46.012Z", data: ENTRIES[type].example },
  })),
  {
    type: "webhook.test",
    description: "Sent only by the Test button, to the endpoint being tested.",
    schema: z.toJSONSchema(message("webhook.test", TEST_PAYLOAD)),
    example: {
      id: EXAMPLE_ID,
      type: "webhook.test",
      createdAt: "2026-12-01T08:02:46.012Z",
      data: { webhookId: "3", message: "A test from Product Importer." },
    },
  },
];

/** The schema of a whole message of `type`, for checking one (the tests check every payload they produce). */
export const messageSchemaOf = (type: string) => message(type, type === "webhook.test" ? TEST_PAYLOAD : EVENT_PAYLOADS[type as EventType]);

/** An example payload of `type` (tests build events from one). */
export const examplePayload = <T extends EventType>(type: T): EventPayload<T> => ENTRIES[type].example;
