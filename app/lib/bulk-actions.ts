import { formatCount } from "~/lib/format";
import { productDialogHref } from "~/lib/product-filters";

/** What the products page can do to many products at once; the bulk dialog and its toast name each. */
export const BULK_INTENTS = {
  activate: { verb: "Activate", done: "Activated", set: { active: true }, already: "active" },
  deactivate: { verb: "Deactivate", done: "Deactivated", set: { active: false }, already: "inactive" },
  delete: { verb: "Delete", done: "Deleted", set: null, already: null },
} as const;
export type BulkIntent = keyof typeof BULK_INTENTS;

export const isBulkIntent = (value: unknown): value is BulkIntent => typeof value === "string" && Object.hasOwn(BULK_INTENTS, value);

/** The selection's scope: the rows' ids, or every product matching the list's filters. */
export const MATCHING_SCOPE = "matching";

/** The bulk dialog's route under the products page (app/routes/products.bulk.tsx). */
export const BULK_DIALOG_PATH = productDialogHref("bulk", "");

/** "1 product", "12,408 products". */
export const productsLabel = (count: number) => `${formatCount(count)} product${count === 1 ? "" : "s"}`;
