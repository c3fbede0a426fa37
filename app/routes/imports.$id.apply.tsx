import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { RouteDialog } from "~/components/route-dialog";
import { refusalMessage } from "~/lib/action-result";
import { APPLY_QUEUED, applyImport, parseApplyForm } from "~/lib/apply-review.server";
import { formatCount } from "~/lib/format";
import { pageData } from "~/lib/page-errors.server";
import { redirectWithToast } from "~/lib/toast.server";
import { PAGES } from "../../server/page-paths";

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const id = params.id ?? "";
  const item = await pageData(() => context.trpc.imports.get({ id }));
  const back = `${PAGES.imports}/${item.id}`;
  if (item.status !== "review")
    return redirectWithToast(back, { message: `This import is ${item.status}: there is nothing left to apply.`, tone: "error" });
  // Counted again against the catalog as it is now (the review recomputes when the catalog moved).
  const review = await pageData(() => context.trpc.imports.review({ id }));
  return { item, review, confirmLargeSync: new URL(request.url).searchParams.get("confirmLargeSync") === "1" };
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const id = params.id ?? "";
  try {
    // The dialog's form has no reviewedCatalogVersion: applied against the catalog as it is, whatever changed.
    await applyImport(context.trpc, id, parseApplyForm(await request.formData()));
  } catch (error) {
    return { error: refusalMessage(error) };
  }
  return redirectWithToast(`${PAGES.imports}/${id}`, { message: APPLY_QUEUED, tone: "success" });
}

/**
 * Asked when Apply was pressed on counts computed against a catalog that has changed since (an
 * edit, another import, the API): look at the review again, or apply it as it stands.
 */
export default function ApplyStaleReview() {
  const { item, review, confirmLargeSync } = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const back = `${PAGES.imports}/${item.id}`;
  const removed = item.syncAction === "delete" ? "delete" : "deactivate";
  return (
    <RouteDialog title="The catalog changed since this review" backTo={back}>
      <p>
        Products were added, changed or removed after the counts you looked at were computed. Against the catalog as it is now, applying{" "}
        <span className="filename">{item.filename}</span> would create {formatCount(review.created)}, update {formatCount(review.updated)}
        {item.mode === "sync" ? ` and ${removed} ${formatCount(review.removed)}` : ""} products.
      </p>
      <p className="hint">Review again to see each change as it would be now, or apply it as the catalog stands.</p>
      <Form method="post" replace>
        {confirmLargeSync ? <input type="hidden" name="confirmLargeSync" value="1" /> : null}
        {review.needsSyncConfirmation && !confirmLargeSync ? (
          <label className="checkbox confirm">
            <input type="checkbox" name="confirmLargeSync" value="1" required />I understand that this sync {removed}s {formatCount(review.removed)}{" "}
            of the catalog&apos;s {formatCount(review.catalogSize)} products
          </label>
        ) : null}
        {refused ? (
          <p className="error" role="alert">
            {refused.error}
          </p>
        ) : null}
        <div className="dialog-actions">
          <Link to={back} className="button" replace preventScrollReset>
            Review again
          </Link>
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? "Applying…" : "Apply anyway"}
          </button>
        </div>
      </Form>
    </RouteDialog>
  );
}
