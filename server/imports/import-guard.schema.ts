import type { ImportGuard } from "../../db/schema.js";

/**
 * The limits an import's merge must stay within to commit (a feed's guard), in percent, with the
 * defaults that protect a catalog from a broken file. Removed, updated, emptied and price drops are
 * shares of the catalog; rejected is a share of the file's rows.
 */
export const GUARD_LIMITS = {
  maxRemovedPercent: { default: 5, label: "Removed or deactivated", of: "catalog" },
  maxRejectedPercent: { default: 5, label: "Rejected rows", of: "file" },
  maxUpdatedPercent: { default: 100, label: "Updated", of: "catalog" },
  maxEmptiedPercent: { default: 5, label: "Descriptions, barcodes or images emptied", of: "catalog" },
  maxPriceDropPercent: { default: 5, label: "Prices falling by more than half", of: "catalog" },
} as const satisfies Record<keyof ImportGuard, { default: number; label: string; of: "catalog" | "file" }>;
export type GuardLimit = keyof typeof GUARD_LIMITS;
export const GUARD_KEYS = Object.keys(GUARD_LIMITS) as GuardLimit[];

export const DEFAULT_GUARD = Object.fromEntries(GUARD_KEYS.map((key) => [key, GUARD_LIMITS[key].default as number])) as Record<
  GuardLimit,
  number
> satisfies ImportGuard;
