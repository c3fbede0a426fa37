import { DELIMITER_LABELS, ENCODING_LABELS, type Delimiter, type Encoding } from "../../server/files/dialect.schema";
import type { ImportJson } from "../../server/imports/import-json";
import type { DECIMAL_SEPARATORS, EMPTY_CELL_RULES } from "../../server/imports/import.schema";
import { isProfileId, PLATFORM_NAMES, TARGET_FIELDS } from "../../server/mappings/mapping.schema";

export type { ImportJson };
export { isTerminal } from "../../server/imports/import-status";

export const statusLabel: Record<ImportJson["status"], string> = {
  uploading: "Uploading",
  review: "In review",
  queued: "Queued",
  processing: "Importing",
  completed: "Completed",
  failed: "Failed",
  cancelled: "Cancelled",
  reverted: "Undone",
};

/** "Shopify export": a platform's name as the pages say it, for a profile id as stored. */
export const exportName = (profile: string) => `${isProfileId(profile) ? PLATFORM_NAMES[profile] : profile} export`;

/** "Read as Windows-1252, semicolon-separated; a Shopify export": how the file was read, in words. */
export function describeReadAs(item: Pick<ImportJson, "format" | "encoding" | "delimiter" | "sheet" | "profile">): string {
  const how =
    item.format === "xlsx"
      ? `a workbook${item.sheet ? `, sheet "${item.sheet}"` : ""}`
      : `${ENCODING_LABELS[item.encoding as Encoding] ?? item.encoding ?? "UTF-8"}, ${DELIMITER_LABELS[item.delimiter as Delimiter] ?? "comma"}-separated`;
  return `read as ${how}${item.profile ? `; a ${exportName(item.profile)}` : ""}`;
}

/**
 * The column every field came from (`sku ← "Variant SKU", name ← "Title"`), the ones named like
 * their field too: which of several similar columns was read is what a person checks.
 */
export function describeMapping(mapping: Record<string, string | null> | null): string | null {
  // In the product's field order, whatever order the mapping was stored in; any other field after them.
  const rank = (field: string) => {
    const at = (TARGET_FIELDS as readonly string[]).indexOf(field);
    return at === -1 ? TARGET_FIELDS.length : at;
  };
  const used = Object.entries(mapping ?? {})
    .filter((entry): entry is [string, string] => Boolean(entry[1]))
    .sort(([a], [b]) => rank(a) - rank(b));
  return used.length ? used.map(([field, column]) => `${field} ← "${column}"`).join(", ") : null;
}

/** How an import applies, in words (the values are CONTRACT.md's `mode`, `syncAction`, `emptyDescription`). */
export const MODE_LABELS: Record<ImportJson["mode"], string> = {
  upsert: "Add new SKUs and update existing ones",
  "create-only": "Only add new SKUs (existing ones are left alone)",
  "update-only": "Only update existing SKUs (new ones are left out)",
  sync: "Sync: the file is the whole catalog",
};
export const SYNC_ACTION_LABELS: Record<ImportJson["syncAction"], string> = {
  deactivate: "Deactivate them",
  delete: "Delete them",
};
export const EMPTY_DESCRIPTION_LABELS: Record<ImportJson["emptyDescription"], string> = {
  clear: "Clear the stored description",
  keep: "Keep the stored description",
};
export const EMPTY_CELL_LABELS: Record<(typeof EMPTY_CELL_RULES)[number], string> = {
  clear: "Clear the stored value",
  keep: "Keep the stored value",
};
export const DECIMAL_LABELS: Record<(typeof DECIMAL_SEPARATORS)[number], string> = {
  auto: "Decided by the file's numbers",
  ".": "A point (12.50)",
  ",": "A comma (12,50)",
};

/** "Sync (products not in the file are deactivated), empty descriptions keep the stored one": the choices that differ from the defaults. */
export function describeApplying(item: Pick<ImportJson, "mode" | "syncAction" | "emptyDescription">): string {
  const mode =
    item.mode === "sync"
      ? `sync: products not in the file are ${item.syncAction === "delete" ? "deleted" : "deactivated"}`
      : { upsert: "adds and updates", "create-only": "only adds new SKUs", "update-only": "only updates existing SKUs" }[item.mode];
  return `${mode}${item.emptyDescription === "keep" ? "; an empty description keeps the stored one" : ""}`;
}

/** What a Skipped count holds: SKUs the mode left alone, rows of the file that are not products, or both. */
export function explainSkipped(mode: ImportJson["mode"], skipped: number, notProducts: number): string {
  const byMode = skipped - notProducts;
  const modeWords = mode === "create-only" ? "already in the catalog" : mode === "update-only" ? "not in the catalog" : "left alone by the mode";
  if (!notProducts) return modeWords;
  if (!byMode) return "rows that are not products";
  return `${byMode.toLocaleString("en-US")} ${modeWords}, ${notProducts.toLocaleString("en-US")} rows not products`;
}

/** "Updated" as the pages say it: products whose values changed (the API's updatedCount counts the unchanged ones too). */
export const changedCount = (item: Pick<ImportJson, "updatedCount" | "unchangedCount">) => item.updatedCount - item.unchangedCount;
