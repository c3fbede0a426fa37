import { z } from "zod";
import { IMPORT_MODES, IMPORT_STATUSES, LAST_CHANGE_KINDS, type EventType } from "../../db/schema.js";

/**
 * The `data` of every event type, as zod schemas: `recordEvent` checks each payload against its
 * type's schema before writing it, and the event catalog (`webhooks.eventTypes`, the Event types
 * page) publishes the JSON Schema generated from the same ones, so the two cannot drift apart.
 * Objects are strict: a field added to a payload and not here fails the tests that produce it.
 */
const timestamp = z.iso.datetime({ offset: true });
const id = z.string().regex(/^\d+$/).describe("A numeric id, as a string");
const count = z.number().int().nonnegative();

const decimal = z
  .string()
  .regex(/^\d+(\.\d+)?$/)
  .describe('An exact decimal, as text ("12.50")');

/** The product's values: what an edit can change, and what `previous` holds the earlier of. */
const productValues = {
  sku: z.string(),
  name: z.string(),
  description: z.string(),
  active: z.boolean(),
  price: decimal.nullable().describe("In the catalog's currency (the CURRENCY setting)"),
  compareAtPrice: decimal.nullable().describe("The price before a reduction, in the catalog's currency"),
  stock: z.number().int().nullable(),
  barcode: z.string().nullable().describe("GTIN, EAN or UPC"),
  weightGrams: decimal.nullable(),
  brand: z.string().nullable(),
  category: z.string().nullable().describe('A path, segments joined by " > "'),
  tags: z.array(z.string()),
  group: z.string().nullable().describe("The group its variants share (a Shopify handle, a WooCommerce parent); null when it stands alone"),
  options: z
    .array(z.strictObject({ name: z.string(), value: z.string() }))
    .max(3)
    .describe("Its options (Size: M), at most three; [] when none"),
  images: z.array(z.string()).max(50).describe("Absolute http(s) image URLs, the main one first; [] when none"),
  attributes: z
    .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]))
    .describe("The team's own fields (fields.list), by key; a field without a value is absent"),
};

const product = z.strictObject({
  id,
  ...productValues,
  createdAt: timestamp,
  updatedAt: timestamp,
  lastChange: z.strictObject({ kind: z.enum(LAST_CHANGE_KINDS), importId: id.nullable(), at: timestamp }).describe("What last wrote the product"),
});

const importOutcome = z.strictObject({
  id,
  filename: z.string(),
  status: z.enum(IMPORT_STATUSES),
  totalRows: count.describe("Rows of the file (blank lines aside): created + updated + skipped + error + repeated"),
  createdCount: count.describe("New SKUs added"),
  updatedCount: count.describe(
    "Existing products the file named and the mode applied to, whether their values changed or not (includes unchangedCount)",
  ),
  unchangedCount: count.describe(
    "Of updatedCount, the products already exactly as in the file (not rewritten); updatedCount - unchangedCount changed",
  ),
  skippedCount: count.describe(
    "SKUs the mode left alone (existing ones in create-only, new ones in update-only), and rows that are not products (a Shopify image row, a Magento store view)",
  ),
  removedCount: count.describe("Products a sync deactivated or deleted"),
  repeatedCount: count.describe("Accepted rows whose SKU comes again later in the file (the last row wins)"),
  foldedCount: count.describe("Rows whose values went into other rows (a Shopify image-only row, a WooCommerce variable parent)"),
  errorCount: count.describe("Rejected rows (imports.errors lists them)"),
  warningCount: count.describe("Values read but left out of accepted rows, such as an image that is not a URL (imports.warnings lists them)"),
  mode: z.enum(IMPORT_MODES),
  error: z.string().nullable(),
  startedAt: timestamp.nullable(),
  finishedAt: timestamp.nullable(),
  durationMs: z
    .number()
    .int()
    .nonnegative()
    .nullable()
    .describe("From the upload's start to finishedAt, a wait in review or in the queue included; startedAt to finishedAt is the apply's own time"),
});

const attributeValue = z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]);
const bulkFilter = z
  .strictObject({
    sku: z.string().optional(),
    name: z.string().optional(),
    description: z.string().optional(),
    active: z.boolean().optional(),
    brand: z.string().optional(),
    category: z.string().optional(),
    tag: z.string().optional(),
    barcode: z.string().optional(),
    group: z.string().optional(),
    hasImages: z.boolean().optional(),
    priceMin: decimal.nullable().optional(),
    priceMax: decimal.nullable().optional(),
    stockMin: z.number().int().optional(),
    stockMax: z.number().int().optional(),
    attributes: z
      .record(z.string(), z.union([attributeValue, z.strictObject({ min: attributeValue.nullish(), max: attributeValue.nullish() })]))
      .optional()
      .describe("The team's own fields, by key: the value a product has (a list field: holds), or the range { min, max } it is in"),
  })
  .describe("The list filter the action applied to; {} is the whole catalog");
const bulkTarget = {
  filter: bulkFilter.optional(),
  ids: z.array(id).optional().describe("The ids the action was given (one of filter and ids is present)"),
  count: count.describe("Products changed"),
};

export const EVENT_PAYLOADS = {
  "product.created": product,
  "product.updated": product.extend({
    previous: z.strictObject(productValues).partial().describe("The earlier values of the fields that changed"),
  }),
  "product.deleted": product.describe("The product as it was"),
  "products.deleted_all": z.strictObject({ deleted: count }),
  "products.bulk_updated": z.strictObject({
    ...bulkTarget,
    set: z
      .strictObject(productValues)
      .omit({ sku: true, name: true, description: true })
      .partial()
      .extend({ attributes: z.record(z.string(), attributeValue.nullable()).optional().describe("Custom fields set (null: cleared)") })
      .describe("The fields set on every product changed, as stored (null: cleared); {} when only tags were added or removed"),
    addTags: z.array(z.string()).optional().describe("Tags added to each product that lacked them (compared by case), in this order"),
    removeTags: z.array(z.string()).optional().describe("Tags taken off each product, compared by case"),
  }),
  "products.bulk_deleted": z.strictObject(bulkTarget),
  "import.completed": importOutcome,
  "import.failed": importOutcome,
  "import.reverted": importOutcome.extend({ restored: count, removed: count, kept: count }),
  "webhook.disabled": z.strictObject({
    id: id.describe("The endpoint switched off"),
    url: z.string(),
    reason: z.string(),
    disabledAt: timestamp,
  }),
  "import.held": importOutcome.extend({
    feedId: id.nullable().describe("The feed whose run staged it"),
    reason: z.string().describe("Which of the feed's limits its review went past, in words"),
  }),
  "feed.failed": z.strictObject({
    feedId: id,
    name: z.string(),
    url: z.string().describe("The feed's source, without credentials"),
    runId: id,
    reason: z.string(),
  }),
} satisfies Record<EventType, z.ZodType>;

export type EventPayload<T extends EventType> = z.infer<(typeof EVENT_PAYLOADS)[T]>;

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/**
 * `true` when what a function builds is exactly type T's payload: asserted where the payload is
 * built (`const checked: BuildsPayload<"import.completed", …> = true`), so the schemas here need
 * not import the capabilities that record events.
 */
export type BuildsPayload<T extends EventType, Built> = Same<EventPayload<T>, Built>;

/** The Test button's message: not an event of the outbox, but delivered and signed the same way. */
export const TEST_PAYLOAD = z.strictObject({ webhookId: id, message: z.string() });
