import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { RouteDialog } from "~/components/route-dialog";
import { refusalMessage } from "~/lib/action-result";
import { BULK_INTENTS, isBulkIntent, MATCHING_SCOPE, productsLabel, type BulkIntent } from "~/lib/bulk-actions";
import { formatCount } from "~/lib/format";
import { pageData } from "~/lib/page-errors.server";
import { filtersOf, isFiltered, listQuery, listStateFromUrl, productDialogHref, productsHref } from "~/lib/product-filters";
import { redirectWithToast } from "~/lib/toast.server";
import { isId } from "../../server/ids.schema";
import { BULK_IDS_LIMIT } from "../../server/products/product.schema";

/**
 * What the bulk toolbar asked for: an action, and the ticked rows (each id once; what is not an id
 * is left out, and more than the API takes is refused with the limit named) or every product the
 * filters match.
 */
function requestedBulk(params: URLSearchParams | FormData) {
  const intent = params.get("intent");
  const ids = [...new Set(params.getAll("id").map(String).filter(isId))];
  return {
    intent: isBulkIntent(intent) ? intent : null,
    matching: params.get("scope") === MATCHING_SCOPE,
    ids: ids.slice(0, BULK_IDS_LIMIT),
    tooMany: ids.length > BULK_IDS_LIMIT,
  };
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const state = listStateFromUrl(url);
  const bulk = requestedBulk(url.searchParams);
  const wholeCatalog = bulk.matching && !isFiltered(state);
  // Deleting every product asks for DELETE to be typed, wherever it is asked from.
  if (wholeCatalog && bulk.intent === "delete") throw redirect(productDialogHref("delete-all", listQuery(state)));
  const count = bulk.matching ? (await pageData(() => context.trpc.products.count(filtersOf(state)))).count : bulk.ids.length;
  return { ...bulk, count, wholeCatalog, back: productsHref(listQuery(state)) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const state = listStateFromUrl(new URL(request.url));
  const back = productsHref(listQuery(state));
  const { intent, matching, ids, tooMany } = requestedBulk(await request.formData());
  if (!intent || (!matching && ids.length === 0) || tooMany) {
    const message = tooMany
      ? `Nothing was changed: at most ${formatCount(BULK_IDS_LIMIT)} ticked products at once; select all matching for more.`
      : "Nothing was changed: select products and an action first.";
    return redirectWithToast(back, { message, tone: "error" });
  }
  const filters = filtersOf(state);
  const target = matching ? (isFiltered(state) ? { filter: filters } : { filter: {}, all: true as const }) : { ids };
  try {
    const set = BULK_INTENTS[intent].set;
    if (set === null) {
      const { deleted, unknown } = await context.trpc.products.bulkDelete(target);
      return redirectWithToast(back, { message: outcome(intent, deleted, { unknown }), tone: "success" });
    }
    const { updated, unchanged, unknown } = await context.trpc.products.bulkUpdate({ ...target, set });
    return redirectWithToast(back, { message: outcome(intent, updated, { unchanged, unknown }), tone: "success" });
  } catch (error) {
    return redirectWithToast(back, { message: refusalMessage(error), tone: "error" });
  }
}

function outcome(intent: BulkIntent, count: number, rest: { unchanged?: number; unknown: number }) {
  const { done, already } = BULK_INTENTS[intent];
  const parts = [`${done} ${productsLabel(count)}.`];
  if (rest.unchanged) parts.push(`${formatCount(rest.unchanged)} ${rest.unchanged === 1 ? "was" : "were"} already ${already}.`);
  if (rest.unknown) parts.push(`${formatCount(rest.unknown)} no longer existed.`);
  return parts.join(" ");
}

export default function BulkAction() {
  const { intent, matching, ids, tooMany, count, wholeCatalog, back } = useLoaderData<typeof loader>();
  if (tooMany) {
    return (
      <NoticeDialog
        title="Too many ticked"
        back={back}
        text={`At most ${formatCount(BULK_IDS_LIMIT)} ticked products at once: select all matching the filters instead.`}
      />
    );
  }
  if (!intent || count === 0) {
    const text = intent
      ? "Select products first: tick their rows, or every product matching the filters."
      : "Choose what to do with the selected products.";
    return <NoticeDialog title="Nothing selected" back={back} text={text} />;
  }
  const { verb, already } = BULK_INTENTS[intent];
  const named = productsLabel(count);
  return (
    <RouteDialog title={`${verb} ${named}?`} backTo={back}>
      <p>
        {matching ? (wholeCatalog ? "This is every product in the catalog. " : "Every product matching the current filters. ") : null}
        {intent === "delete"
          ? "They are removed from the catalog. This cannot be undone."
          : `Products that are ${already} already are left as they are.`}
      </p>
      <Form method="post" replace preventScrollReset>
        <input type="hidden" name="intent" value={intent} />
        {matching ? (
          <input type="hidden" name="scope" value={MATCHING_SCOPE} />
        ) : (
          ids.map((id) => <input key={id} type="hidden" name="id" value={id} />)
        )}
        <div className="dialog-actions">
          <Link to={back} className="button" replace preventScrollReset>
            Cancel
          </Link>
          <button type="submit" className={`button ${intent === "delete" ? "danger" : "primary"}`}>
            {verb} {named}
          </button>
        </div>
      </Form>
    </RouteDialog>
  );
}

/** Why there is nothing to confirm, with the one way back. */
function NoticeDialog({ title, back, text }: { title: string; back: string; text: string }) {
  return (
    <RouteDialog title={title} backTo={back}>
      <p>{text}</p>
      <div className="dialog-actions">
        <Link to={back} className="button" replace>
          Close
        </Link>
      </div>
    </RouteDialog>
  );
}
