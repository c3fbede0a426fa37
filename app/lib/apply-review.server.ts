import { TRPCError } from "@trpc/server";
import { z } from "zod";
import type { AppLoadContext } from "@remix-run/node";
import { fieldErrorsFrom } from "./field-errors";
import { PAGES } from "../../server/page-paths";

/** The toast after an Apply, from the review page or from the stale-review dialog. */
export const APPLY_QUEUED = "Applying the import: it is queued.";

/** What an Apply form posts: the large-sync confirmation, and the version its counts were computed against (the page's form has it, the dialog's "Apply anyway" not). */
const applyForm = z.object({
  confirmLargeSync: z.literal("1").optional(),
  reviewedCatalogVersion: z.string().optional(),
});

/** The import page's buttons, each an intent with what it posts. */
export const importPageIntent = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("cancel") }),
  z.object({ intent: z.literal("retry") }),
  applyForm.extend({ intent: z.literal("apply") }),
  z.object({ intent: z.literal("discard") }),
]);
export type ImportPageIntent = z.infer<typeof importPageIntent>;

/** A posted form as an object of its text fields (files and repeated names have no place in these forms). */
export const formFields = (form: FormData) =>
  Object.fromEntries([...form].filter((entry): entry is [string, string] => typeof entry[1] === "string"));

/**
 * imports.apply from a posted Apply form. The server-side caller is a proxy that reads `.apply(…)`
 * as Function.prototype.apply, so the procedure named apply (CONTRACT.md's imports.apply) is
 * reached with `.call` and a `this` first: here, and nowhere else.
 */
export function applyImport(trpc: AppLoadContext["trpc"], id: string, posted: z.infer<typeof applyForm>) {
  return trpc.imports.apply.call(null, {
    id,
    confirmLargeSync: posted.confirmLargeSync === "1",
    ...(posted.reviewedCatalogVersion ? { reviewedCatalogVersion: posted.reviewedCatalogVersion } : {}),
  });
}

/** Parses an Apply form alone (the stale-review dialog's). */
export const parseApplyForm = (form: FormData) => applyForm.parse(formFields(form));

/** The apply was refused because the catalog changed since the review the person looked at. */
export const isStaleReview = (error: unknown) =>
  error instanceof TRPCError && error.code === "CONFLICT" && fieldErrorsFrom(error)?.reviewedCatalogVersion !== undefined;

/** The dialog that asks before applying a review whose catalog changed, keeping a ticked large-sync confirmation. */
export function staleReviewDialogPath(id: string, posted: { confirmLargeSync?: "1" }): string {
  return `${PAGES.imports}/${id}/apply${posted.confirmLargeSync === "1" ? "?confirmLargeSync=1" : ""}`;
}
