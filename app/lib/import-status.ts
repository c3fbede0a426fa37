import { DELIMITER_LABELS, ENCODING_LABELS, type Delimiter, type Encoding } from "../../server/files/dialect-names";
import type { ImportJson } from "../../server/imports/import.schema";

export type { ImportJson };
export { isTerminal } from "../../server/imports/import-status";

export const statusLabel: Record<ImportJson["status"], string> = {
  uploading: "Uploading",
  queued: "Queued",
  processing: "Importing",
  completed: "Completed",
  failed: "Failed",
  cancelled: "Cancelled",
};

const PROFILE_NAMES: Record<string, string> = {
  shopify: "a Shopify export",
  woocommerce: "a WooCommerce export",
  magento: "a Magento export",
  bigcommerce: "a BigCommerce export",
};

/** "Read as Windows-1252, semicolon-separated; a Shopify export": how the file was read, in words. */
export function describeReadAs(item: Pick<ImportJson, "format" | "encoding" | "delimiter" | "sheet" | "profile">): string {
  const how =
    item.format === "xlsx"
      ? `a workbook${item.sheet ? `, sheet "${item.sheet}"` : ""}`
      : `${ENCODING_LABELS[item.encoding as Encoding] ?? item.encoding ?? "UTF-8"}, ${DELIMITER_LABELS[item.delimiter as Delimiter] ?? "comma"}-separated`;
  return `read as ${how}${item.profile ? `; ${PROFILE_NAMES[item.profile] ?? item.profile}` : ""}`;
}

/** The columns the fields came from, where they were named otherwise (`sku ← "Variant SKU"`). */
export function describeMapping(mapping: Record<string, string> | null): string | null {
  if (!mapping) return null;
  const renamed = Object.entries(mapping).filter(([field, column]) => column.trim().toLowerCase() !== field);
  return renamed.length ? renamed.map(([field, column]) => `${field} ← "${column}"`).join(", ") : null;
}
