/**
 * What a product's values may be, declared once: the importer's row validation
 * (server/imports/rows/validate-row.ts), the API's zod schemas (product.schema.ts) and the product
 * form all use these.
 */

/** Longest values, in characters (code points, as Postgres counts them). */
export const FIELD_LIMITS = { sku: 255, name: 1000, description: 100_000 } as const;

const NON_ASCII = /[^\x00-\x7f]/;

/** A SKU as stored and compared: trimmed, and Unicode-normalised (NFC) so `é` typed two ways is one SKU. */
export function normalizeSku(raw: string): string {
  const sku = raw.trim();
  return NON_ASCII.test(sku) ? sku.normalize("NFC") : sku;
}

/** A name as stored: trimmed. Descriptions are kept exactly as given. */
export const normalizeName = (raw: string) => raw.trim();

/** The spellings an `active` value may have, any case. */
const ACTIVE_WORDS = new Map<string, boolean>([
  ["true", true],
  ["yes", true],
  ["1", true],
  ["active", true],
  ["false", false],
  ["no", false],
  ["0", false],
  ["inactive", false],
]);

export const ACTIVE_SPELLINGS = "true/false, yes/no, 1/0 or active/inactive";

export function parseActive(value: string): boolean | undefined {
  return ACTIVE_WORDS.get(value.trim().toLowerCase());
}

/** Postgres text cannot hold a NUL character: a value with one is refused, never cut. */
export const hasNul = (value: string) => value.includes("\0");

/** Characters as Postgres counts them (code points), computed only near the limit. */
export function lengthOver(value: string, limit: number): number | null {
  if (value.length <= limit) return null;
  const codePoints = [...value].length;
  return codePoints > limit ? codePoints : null;
}
