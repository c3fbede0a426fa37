import type { SyncAction } from "../../db/schema.js";

/** A sync taking away more than this share of the catalog needs an explicit confirmation (CONTRACT.md's `confirmLargeSync`). */
export const LARGE_SYNC_SHARE = 1 / 5;

export const isLargeSync = (removing: number, catalogSize: number) => catalogSize > 0 && removing > catalogSize * LARGE_SYNC_SHARE;

const VERB: Record<SyncAction, string> = { deactivate: "deactivate", delete: "delete" };

/** Says how much of the catalog a sync would take away. */
export function describeSyncRemoval(removing: number, catalogSize: number, action: SyncAction): string {
  const share = catalogSize > 0 ? Math.round((removing / catalogSize) * 100) : 0;
  return `This sync would ${VERB[action]} ${removing.toLocaleString("en-US")} of the catalog's ${catalogSize.toLocaleString("en-US")} products (${share}%), more than a fifth of it`;
}
