import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { RouteDialog } from "~/components/route-dialog";
import { refusalMessage } from "~/lib/action-result";
import { formatCount } from "~/lib/format";
import { changedCount } from "~/lib/import-status";
import { pageData } from "~/lib/page-errors.server";
import { redirectWithToast } from "~/lib/toast.server";
import { PAGES } from "../../server/page-paths";

export async function loader({ params, context }: LoaderFunctionArgs) {
  const item = await pageData(() => context.trpc.imports.get({ id: params.id ?? "" }));
  if (!item.revertible) return redirectWithToast(`${PAGES.imports}/${item.id}`, { message: "This import cannot be undone.", tone: "error" });
  return item;
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const id = params.id ?? "";
  const partial = (await request.formData()).get("partial") === "1";
  try {
    const { restored, removed, kept } = await context.trpc.imports.revert({ id, partial });
    const left = kept ? `; ${formatCount(kept)} changed since were left as they are` : "";
    return redirectWithToast(`${PAGES.imports}/${id}`, {
      message: `Import undone: ${formatCount(removed)} removed, ${formatCount(restored)} restored${left}.`,
      tone: "success",
    });
  } catch (error) {
    return { error: refusalMessage(error), partial };
  }
}

/** Confirms an undo: what it will do, and what happens to products changed since. */
export default function UndoImport() {
  const item = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const back = `${PAGES.imports}/${item.id}`;
  const changed = changedCount(item);
  const removedWord = item.syncAction === "delete" ? "deleted" : "deactivated";
  return (
    <RouteDialog title={`Undo the import of ${item.filename}?`} backTo={back}>
      <p>
        This removes the {formatCount(item.createdCount)} products it created and gives the {formatCount(changed)} it changed their previous values
        back
        {item.removedCount ? `, and brings back the ${formatCount(item.removedCount)} its sync ${removedWord}` : ""}, all at once.
      </p>
      <Form method="post" replace className="undo-form">
        <label className="checkbox">
          <input type="checkbox" name="partial" value="1" defaultChecked={refused?.partial} />
          If some of them were changed after the import, undo the rest and leave those as they are
        </label>
        <p className="hint">Unticked, the undo changes nothing if any product was changed since (by an edit, another import or the API).</p>
        {refused ? (
          <p className="error" role="alert">
            {refused.error}
          </p>
        ) : null}
        <div className="dialog-actions">
          <Link to={back} className="button" replace preventScrollReset>
            Cancel
          </Link>
          <button type="submit" className="button danger" disabled={busy}>
            {busy ? "Undoing…" : "Undo import"}
          </button>
        </div>
      </Form>
    </RouteDialog>
  );
}
