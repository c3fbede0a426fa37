/** What a column of a file can become: the fields of a product. `sku` and `name` are required. */
export const TARGET_FIELDS = ["sku", "name", "description", "active"] as const;
export type TargetField = (typeof TARGET_FIELDS)[number];
export const REQUIRED_FIELDS = ["sku", "name"] as const satisfies readonly TargetField[];

/** Which column of the file (by its header name, as written) each field comes from. */
export type ColumnMapping = Partial<Record<TargetField, string>>;

/** A header name as compared: case, spacing, a byte-order mark and surrounding punctuation do not count. */
export function normalizeHeaderName(name: string): string {
  return name
    .replace(/^\uFEFF/, "")
    .trim()
    .toLowerCase()
    .replace(/[*#?:]+/g, " ")
    .replace(/[_\-./]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}
