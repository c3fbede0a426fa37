import { TRPCError } from "@trpc/server";
import { fieldErrorsFrom } from "~/lib/field-errors";
import { PAGES } from "../../server/page-paths";

/** The toast after an Apply, from the review page or from the stale-review dialog. */
export const APPLY_QUEUED = "Applying the import: it is queued.";

/**
 * imports.apply's input from a posted Apply form: the large-sync confirmation, and the catalog
 * version the shown counts were computed against when the form carries it (the review page's
 * does; the dialog's "Apply anyway" does not, which is what makes it apply anyway).
 */
export function applyInput(id: string, form: FormData): { id: string; confirmLargeSync: boolean; reviewedCatalogVersion?: string } {
  const reviewed = form.get("reviewedCatalogVersion");
  return {
    id,
    confirmLargeSync: form.get("confirmLargeSync") === "1",
    ...(typeof reviewed === "string" && reviewed !== "" ? { reviewedCatalogVersion: reviewed } : {}),
  };
}

/** The apply was refused because the catalog changed since the review the person looked at. */
export const isStaleReview = (error: unknown) =>
  error instanceof TRPCError && error.code === "CONFLICT" && fieldErrorsFrom(error)?.reviewedCatalogVersion !== undefined;

/** The dialog that asks before applying a review whose catalog changed, keeping a ticked large-sync confirmation. */
export function staleReviewDialogPath(id: string, form: FormData): string {
  return `${PAGES.imports}/${id}/apply${form.get("confirmLargeSync") === "1" ? "?confirmLargeSync=1" : ""}`;
}
