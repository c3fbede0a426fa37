import type { ColumnType, Generated } from "kysely";

/** The catalog. `sku_key(sku)` (a SQL function, see migrations) is its case-insensitive identity. */
export interface ProductsTable {
  id: Generated<string>;
  sku: string;
  name: string;
  description: string;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: ColumnType<Date, never, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
  /** The import that created the product, if one did (an undo removes what its import created). */
  created_import_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** What last changed the product: an import (which), an edit, a bulk change, an undo. */
  last_change_kind: ColumnType<LastChangeKind, LastChangeKind | undefined, LastChangeKind>;
  last_change_import_id: ColumnType<string | null, string | null | undefined, string | null>;
  /**
   * The import whose values the product holds; null once anything else wrote them. An undo gives
   * back only what still holds its import's values (an undo of a later import restores this too).
   */
  values_import_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** The typed commerce fields (server/products/commerce-fields.schema.ts); decimals are numeric, read as exact text. */
  price: ColumnType<string | null, string | null | undefined, string | null>;
  compare_at_price: ColumnType<string | null, string | null | undefined, string | null>;
  stock: ColumnType<number | null, number | null | undefined, number | null>;
  barcode: ColumnType<string | null, string | null | undefined, string | null>;
  weight_grams: ColumnType<string | null, string | null | undefined, string | null>;
  brand: ColumnType<string | null, string | null | undefined, string | null>;
  category: ColumnType<string | null, string | null | undefined, string | null>;
  tags: ColumnType<string[], string[] | undefined, string[]>;
  /** The group its variants share (a handle, a parent's SKU), compared case-insensitively; null when it stands alone. */
  product_group: ColumnType<string | null, string | null | undefined, string | null>;
  /** Up to three `{ name, value }` (Size: M); `[]` when none. Written as JSON text. */
  options: ColumnType<ProductOption[], string | undefined, string>;
  /** Absolute http(s) URLs, the main one first; `{}` when none. */
  images: ColumnType<string[], string[] | undefined, string[]>;
  /** The values of the team's own fields (server/fields/), by key; a field without a value is absent. Written as JSON text. */
  attributes: ColumnType<AttributeValues, string | undefined, string>;
}

/** One of a product's options (CONTRACT.md's `options`). */
export interface ProductOption {
  name: string;
  value: string;
}

/** A custom field's stored value: text, a number, a boolean, a list of text (CONTRACT.md's `attributes`). */
export type AttributeValue = string | number | boolean | string[];
export type AttributeValues = Record<string, AttributeValue>;

/** The kinds of field a team can define (CONTRACT.md's `Field.type`). */
export const FIELD_TYPES = ["text", "number", "integer", "boolean", "date", "url", "choice", "list"] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export interface FieldsTable {
  /** Names the field's range index (a key can be 63 characters, too long to build an index name from). */
  id: Generated<number>;
  key: string;
  label: string;
  type: FieldType;
  /** A choice field's options, in the order they are offered; null for every other type. */
  options: string[] | null;
  required: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: ColumnType<Date, never, never>;
}

export const LAST_CHANGE_KINDS = ["import", "edit", "bulk", "revert"] as const;
export type LastChangeKind = (typeof LAST_CHANGE_KINDS)[number];

/** Every status an import can have (CONTRACT.md's `Import.status`); their groups and moves: server/imports/import-status.ts. */
export const IMPORT_STATUSES = ["uploading", "review", "queued", "processing", "completed", "failed", "cancelled", "reverted"] as const;

/** How an import applies (CONTRACT.md's `mode`). */
export const IMPORT_MODES = ["upsert", "create-only", "update-only", "sync"] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];
export const SYNC_ACTIONS = ["deactivate", "delete"] as const;
export type SyncAction = (typeof SYNC_ACTIONS)[number];
export const EMPTY_DESCRIPTION_RULES = ["clear", "keep"] as const;
export type EmptyDescriptionRule = (typeof EMPTY_DESCRIPTION_RULES)[number];
/** What an empty cell of a typed column does (CONTRACT.md's `emptyCells`). */
export const EMPTY_CELL_RULES = ["clear", "keep"] as const;
export type EmptyCellRule = (typeof EMPTY_CELL_RULES)[number];
/** How a file writes the decimal point (CONTRACT.md's `decimalSeparator`); `auto` decides from its values. */
export const DECIMAL_SEPARATORS = [".", ",", "auto"] as const;
export type DecimalSeparatorChoice = (typeof DECIMAL_SEPARATORS)[number];
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

/**
 * What applying an import would do, as its review last computed it and keeps it (imports.review_summary;
 * server/imports/review/review-summary.ts computes it).
 */
export interface ReviewSummary {
  created: number;
  /** Existing products whose values would change. */
  updated: number;
  /** Existing products the file names with the values they already have. */
  unchanged: number;
  rejected: number;
  /** SKUs the mode leaves alone (existing ones in create-only, new ones in update-only), and rows that are not products. */
  skipped: number;
  /** Products a sync would deactivate or delete. */
  removed: number;
  /** Accepted rows whose SKU comes again later in the file. */
  repeated: number;
  /** Of the updated products, how many change each field (every field of server/mappings/mapping.schema.ts's TARGET_FIELDS; summaries stored before the commerce fields have only the first four). */
  changed: Record<string, number>;
  descriptionsEmptied: number;
  deactivated: number;
  activated: number;
  createdInactive: number;
  /** Existing products whose price would fall below half of it, that would go out of stock, whose barcode would become empty (absent from summaries stored before the commerce fields). */
  pricesHalved?: number;
  outOfStock?: number;
  barcodesEmptied?: number;
  /** Existing products with images that would have none (absent from summaries stored before variants and images). */
  imagesEmptied?: number;
  catalogSize: number;
  /** The catalog's version these counts were computed against (server/products/catalog-version.ts). */
  catalogVersion: string;
  computedAt: string;
}

/** Why rows were skipped, how many, and the first lines of each reason. */
export interface SkippedReason {
  reason: string;
  count: number;
  lines: number[];
}

/** What reading the file was worth saying once, as the import keeps it (imports.row_notes; server/imports/row-notes.ts). */
export interface RowNotes {
  skipped: SkippedReason[];
  madeSkus: { count: number; examples: string[] } | null;
  /** Of the folded rows, the parent products whose values went to their variants (the others are image rows). */
  parents?: number;
}

/** What an undo did, as the import keeps it (imports.revert_summary; server/imports/undo/revert-import.ts). */
export interface RevertSummary {
  /** Products given their values back (changed or deactivated by the import) or brought back (deleted by its sync). */
  restored: number;
  /** Products the import created, removed. */
  removed: number;
  /** Products changed after the import, left as they are. */
  kept: number;
  keptExamples: string[];
}

export interface ImportsTable {
  id: Generated<string>;
  filename: string;
  status: ImportStatus;
  size_bytes: ColumnType<string, number | undefined, number>;
  has_active_column: ColumnType<boolean, boolean | undefined, boolean>;
  /** The file's header as written, for errors.csv. */
  header: ColumnType<string[], string[] | undefined, string[]>;
  /** Data rows read from the file (accepted + rejected). Grows while the file uploads. */
  total_rows: ColumnType<number, number | undefined, number>;
  /** Rows merged into the catalog so far. */
  processed_rows: ColumnType<number, number | undefined, number>;
  created_count: ColumnType<number, number | undefined, number>;
  updated_count: ColumnType<number, number | undefined, number>;
  error_count: ColumnType<number, number | undefined, number>;
  error: string | null;
  /** False when the staged data cannot produce a different outcome (e.g. the CSV itself is broken). */
  retryable: ColumnType<boolean, boolean | undefined, boolean>;
  /** Order in which imports apply: taken when the upload finished. */
  queue_position: string | null;
  /** Bumped on every change; the SSE event id. */
  version: ColumnType<number, number | undefined, number>;
  heartbeat_at: Date | null;
  /** Merges of this import cut short by a lost database connection since it was last queued. */
  apply_attempts: ColumnType<number, number | undefined, number>;
  /** How the file was read: `csv` or `xlsx`; a CSV's encoding, delimiter, quote and line endings; a workbook's sheet. */
  format: ColumnType<string, string | undefined, string>;
  encoding: string | null;
  delimiter: string | null;
  quote: string | null;
  line_ending: string | null;
  sheet: string | null;
  /** The column mapping used (field → header name), the platform profile, and where the mapping came from. */
  mapping: ColumnType<Record<string, string> | null, string | null, string | null>;
  profile: string | null;
  mapping_source: string | null;
  /** Rows the file's platform writes that are not products (an image row, a store view): skipped, not rejected. */
  skipped_rows: ColumnType<number, number | undefined, number>;
  /** Rows whose values went into other rows (a Shopify image-only row, a WooCommerce variable parent). */
  folded_count: ColumnType<number, number | undefined, number>;
  /** Values read but left out of accepted rows (import_warnings). */
  warning_count: ColumnType<number, number | undefined, number>;
  /** What relative image paths (a Magento export's) are appended to; null leaves them out, with a warning. */
  image_base_url: ColumnType<string | null, string | null | undefined, string | null>;
  /** What reading the rows is worth saying once: why rows were skipped, SKUs made from handles (server/imports/row-notes.ts). */
  row_notes: ColumnType<RowNotes | null, string | null | undefined, string | null>;
  /** Accepted rows whose active cell was empty: their products keep the flag they have. */
  unspecified_active_rows: ColumnType<number, number | undefined, number>;
  mode: ColumnType<ImportMode, ImportMode | undefined, ImportMode>;
  sync_action: ColumnType<SyncAction, SyncAction | undefined, SyncAction>;
  empty_description: ColumnType<EmptyDescriptionRule, EmptyDescriptionRule | undefined, EmptyDescriptionRule>;
  empty_cells: ColumnType<EmptyCellRule, EmptyCellRule | undefined, EmptyCellRule>;
  decimal_separator: ColumnType<DecimalSeparatorChoice, DecimalSeparatorChoice | undefined, DecimalSeparatorChoice>;
  /** The decimal point the file's numbers were read with (chosen, or decided by its values); null when none said. */
  decimal_separator_read: ColumnType<"." | "," | null, "." | "," | null | undefined, "." | "," | null>;
  /** The commerce fields its rows write (the merge leaves the others alone on existing products). */
  commerce_fields: ColumnType<string[], string[] | undefined, string[]>;
  /** The keys of the custom fields the file writes (its `attributes.<key>` columns). */
  attribute_fields: ColumnType<string[], string[] | undefined, string[]>;
  /** The uploader agreed that a sync may remove more than a fifth of the catalog. */
  confirm_large_sync: ColumnType<boolean, boolean | undefined, boolean>;
  /** Staged, it waits in `review` until someone applies or discards it. */
  review_requested: ColumnType<boolean, boolean | undefined, boolean>;
  /** What applying it would change, as last computed (imports.review), and the catalog version it saw. */
  review_summary: ColumnType<ReviewSummary | null, string | null | undefined, string | null>;
  review_catalog_version: ColumnType<string | null, string | number | null | undefined, string | number | null>;
  reviewed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** The catalog changed between its review and its apply: the counts differ from the review's. */
  catalog_changed_after_review: ColumnType<boolean, boolean | undefined, boolean>;
  /** Of the products it updated, those whose values were already the file's. */
  unchanged_count: ColumnType<number, number | undefined, number>;
  /** SKUs its mode left alone (existing ones in create-only, new ones in update-only), and its skipped rows. */
  skipped_count: ColumnType<number, number | undefined, number>;
  /** Products a sync deactivated or deleted. */
  removed_count: ColumnType<number, number | undefined, number>;
  /** Accepted rows whose SKU comes again later in the file (the last one wins). */
  repeated_count: ColumnType<number, number | undefined, number>;
  /** Its before-images are kept: it can be reverted. */
  revertible: ColumnType<boolean, boolean | undefined, boolean>;
  revert_summary: ColumnType<RevertSummary | null, string | null | undefined, string | null>;
  reverted_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** The feed whose run fetched its file; null for an upload. */
  feed_id: ColumnType<string | null, string | null | undefined, never>;
  /** The limits its merge must stay within to commit; past one it is rolled back and held in review (a feed's guard). */
  guard: ColumnType<ImportGuard | null, string | null | undefined, null>;
  /** Which limit its merge went past, in words, when it was held. */
  held_reason: ColumnType<string | null, never, string | null>;
  /** An import of another's fixed rejected rows: that import. */
  fixes_import_id: ColumnType<string | null, string | null | undefined, never>;
  /** Its rejected rows fixed and brought in (by this import, or by one of fixed rows). */
  fixed_count: ColumnType<number, number | undefined, number>;
  /** The lines of rejected rows it brought in: its source's (an import of fixed rows), or its own (joined to its review). */
  brought_in_lines: ColumnType<string | null, never, never>;
  created_at: ColumnType<Date, never, never>;
  uploaded_at: Date | null;
  started_at: Date | null;
  finished_at: Date | null;
}

/** What an import read but left out of a row it accepted (an image that is no URL), by line; `at` orders a line's several. */
export interface ImportWarningsTable {
  import_id: string;
  line: number;
  at: number;
  message: string;
}

export interface ImportErrorsTable {
  import_id: string;
  line: number;
  message: string;
  /** The row as it was in the file, for errors.csv. */
  fields: string[];
  /** The field at fault (`price`, `attributes.<key>`), when one cell is; null for the row as a whole. */
  field: ColumnType<string | null, string | null | undefined, string | null>;
  /** The row's cells as a person changed them (in the header's order); null while untouched. */
  edited: ColumnType<string[] | null, string[] | null | undefined, string[] | null>;
  /** Its cells (as edited) pass the importer's rules now. */
  fixed: ColumnType<boolean, boolean | undefined, boolean>;
  /** Left out: nobody wants it. */
  dropped: ColumnType<boolean, boolean | undefined, boolean>;
  /** Bumped by every save, so a save can tell it overwrote another's. */
  revision: ColumnType<number, number | undefined, number>;
}

export interface CatalogCountsTable {
  id: ColumnType<boolean, never, never>;
  products: ColumnType<string, never, string | number>;
}

/** What the outbox records and webhooks subscribe to (CONTRACT.md's EventType). */
export const EVENT_TYPES = [
  "product.created",
  "product.updated",
  "product.deleted",
  "products.deleted_all",
  "products.bulk_updated",
  "products.bulk_deleted",
  "import.completed",
  "import.failed",
  "import.reverted",
  "webhook.disabled",
  "import.held",
  "feed.failed",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** How a feed's run ended, or that it is still going: one at a time per feed. */
export const FEED_RUN_STATUSES = ["running", "unchanged", "applied", "held", "failed"] as const;
export type FeedRunStatus = (typeof FEED_RUN_STATUSES)[number];

/** What a feed's file is read with: the options an upload takes (server/feeds/feed.schema.ts). */
export interface FeedOptions {
  mapping?: Record<string, string>;
  profile?: string;
  mode?: ImportMode;
  syncAction?: SyncAction;
  emptyCells?: EmptyCellRule;
  emptyDescription?: EmptyDescriptionRule;
  delimiter?: string;
  encoding?: string;
  sheet?: string;
  decimalSeparator?: DecimalSeparatorChoice;
  imageBaseUrl?: string;
}

/** The limits an import's merge must stay within to commit (a feed's guard), in percent. */
export interface ImportGuard {
  maxRemovedPercent: number;
  maxRejectedPercent: number;
  maxUpdatedPercent: number;
  maxEmptiedPercent: number;
  maxPriceDropPercent: number;
}

/** What identifies the version of a source's file: an HTTP validator, or an SFTP file's size and time. */
export type SourceVersion = { etag: string | null; lastModified: string | null } | { size: number; modifiedAt: number };

export interface FeedsTable {
  id: Generated<string>;
  name: string;
  url: string;
  /** Request headers sent to an http(s) source, values included: never shown back. */
  headers: ColumnType<Record<string, string>, string | undefined, string>;
  username: string | null;
  password: string | null;
  private_key: string | null;
  /** A 5-field cron expression in UTC, or @hourly / @daily / @weekly. */
  schedule: string;
  enabled: ColumnType<boolean, boolean | undefined, boolean>;
  options: ColumnType<FeedOptions, string | undefined, string>;
  guard: ColumnType<Partial<ImportGuard>, string | undefined, string>;
  /** When the schedule runs it next; a time in the past (the app was down) runs once when a worker is back. */
  next_run_at: Date | null;
  created_at: ColumnType<Date, never, never>;
  updated_at: ColumnType<Date, never, Date>;
}

export interface FeedRunsTable {
  id: Generated<string>;
  feed_id: string;
  status: FeedRunStatus;
  trigger: "schedule" | "manual";
  started_at: ColumnType<Date, never, never>;
  finished_at: Date | null;
  /** Refreshed while a worker runs it: a run whose worker died stops being refreshed and is failed. */
  heartbeat_at: ColumnType<Date, never, Date>;
  /** The pg-boss job that runs it. */
  job_id: string | null;
  import_id: string | null;
  bytes: ColumnType<string | null, never, number | null>;
  tries: ColumnType<number, never, number>;
  reason: string | null;
  source_version: ColumnType<SourceVersion | null, never, string | null>;
}

export interface EventsTable {
  id: Generated<string>;
  position: Generated<string>;
  type: EventType;
  data: ColumnType<unknown, string, never>;
  created_at: ColumnType<Date, never, never>;
  /** When the event became delivery jobs; null while it waits for the dispatcher. */
  dispatched_at: ColumnType<Date | null, never, Date | null>;
}

export interface WebhooksTable {
  id: Generated<string>;
  url: string;
  events: EventType[];
  enabled: ColumnType<boolean, boolean | undefined, boolean>;
  /** `whsec_<base64>`, per the Standard Webhooks specification. */
  secret: string;
  /** The secret before the last rotation, still signing beside `secret` until it expires. */
  previous_secret: ColumnType<string | null, string | null | undefined, string | null>;
  previous_secret_expires_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** Why the endpoint was switched off automatically; cleared when someone switches it on. */
  disabled_reason: ColumnType<string | null, string | null | undefined, string | null>;
  last_status_code: ColumnType<number | null, never, number | null>;
  last_latency_ms: ColumnType<number | null, never, number | null>;
  last_error: ColumnType<string | null, never, string | null>;
  last_delivery_at: ColumnType<Date | null, never, Date | null>;
  /** Requests to this endpoint in flight at once, per process (IN_FLIGHT_LIMITS in server/webhooks/webhook.schema.ts; the migration checks 1..32). */
  max_in_flight: ColumnType<number, number | undefined, number>;
  /** The first failed attempt since the last success (null while deliveries succeed). */
  failing_since: ColumnType<Date | null, never, Date | null>;
  created_at: ColumnType<Date, never, never>;
  updated_at: ColumnType<Date, never, Date>;
}

/** One row per attempt to deliver one event to one endpoint. */
export interface WebhookDeliveriesTable {
  id: Generated<string>;
  webhook_id: string;
  event_id: string;
  /** An EventType, or `webhook.test` for the Test button. */
  event_type: string;
  attempt: number;
  status_code: number | null;
  latency_ms: number | null;
  error: string | null;
  response_body: string | null;
  /** What was sent and what came back, secrets masked (null for attempts logged before they were kept). */
  request_headers: ColumnType<Record<string, string> | null, string | null, never>;
  response_headers: ColumnType<Record<string, string> | null, string | null, never>;
  created_at: ColumnType<Date, never, never>;
}

/** A column mapping someone confirmed, offered again for a file with the same header. */
export interface ColumnMappingsTable {
  id: Generated<string>;
  header: string[];
  /** The header as compared (its normalized names, in order); not indexed: a wide header is longer than an index entry may be. */
  header_key: string;
  /** SHA-256 of `header_key` (UTF-8): the unique key, one mapping per header. */
  header_hash: Buffer;
  mapping: ColumnType<Record<string, string>, string, string>;
  profile: string | null;
  created_at: ColumnType<Date, never, never>;
  last_used_at: ColumnType<Date, Date | undefined, Date>;
}

export const API_TOKEN_SCOPES = ["read", "write"] as const;
export type ApiTokenScope = (typeof API_TOKEN_SCOPES)[number];

/** A named bearer for one script or service; only the SHA-256 of its secret is kept. */
export interface ApiTokensTable {
  id: Generated<string>;
  name: string;
  scope: ApiTokenScope;
  token_hash: string;
  created_at: ColumnType<Date, never, never>;
  last_used_at: ColumnType<Date | null, never, Date | null>;
  revoked_at: ColumnType<Date | null, never, Date | null>;
}

export interface AppSecretsTable {
  name: string;
  value: string;
  created_at: ColumnType<Date, never, never>;
}

export interface Database {
  api_tokens: ApiTokensTable;
  app_secrets: AppSecretsTable;
  column_mappings: ColumnMappingsTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  events: EventsTable;
  catalog_counts: CatalogCountsTable;
  fields: FieldsTable;
  products: ProductsTable;
  imports: ImportsTable;
  import_errors: ImportErrorsTable;
  import_warnings: ImportWarningsTable;
  feeds: FeedsTable;
  feed_runs: FeedRunsTable;
}
