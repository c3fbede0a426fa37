/** What the products page can do to many products at once; the bulk dialog names each. */
export const BULK_INTENTS = {
  activate: { verb: "Activate", done: "Activated", set: { active: true } },
  deactivate: { verb: "Deactivate", done: "Deactivated", set: { active: false } },
  delete: { verb: "Delete", done: "Deleted", set: null },
} as const;
export type BulkIntent = keyof typeof BULK_INTENTS;

export const isBulkIntent = (value: unknown): value is BulkIntent => typeof value === "string" && Object.hasOwn(BULK_INTENTS, value);

/** The selection's scope: the rows' ids, or every product matching the list's filters. */
export const MATCHING_SCOPE = "matching";

export const productCount = (count: number, formatted: string) => `${formatted} product${count === 1 ? "" : "s"}`;
