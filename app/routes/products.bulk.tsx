import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { RouteDialog } from "~/components/route-dialog";
import { refusalMessage } from "~/lib/action-result";
import {
  BULK_FORM_FIELDS,
  BULK_INTENTS,
  bulkChangeOf,
  bulkOutcome,
  isBulkIntent,
  MATCHING_SCOPE,
  productsLabel,
  SETTABLE_FIELDS,
  type BulkIntent,
} from "~/lib/bulk-actions";
import { fieldErrorsFrom } from "~/lib/field-errors";
import { formatCount } from "~/lib/format";
import { pageData } from "~/lib/page-errors.server";
import { columnsParamOf, withColumns } from "~/lib/product-columns";
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

/** The list the dialog is over, with its filters, page and columns: where it goes back to. */
function listOf(url: URL) {
  const state = listStateFromUrl(url);
  return { state, back: productsHref(withColumns(listQuery(state), columnsParamOf(url.searchParams))) };
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const { state, back } = listOf(url);
  const bulk = requestedBulk(url.searchParams);
  const wholeCatalog = bulk.matching && !isFiltered(state);
  // Deleting every product asks for DELETE to be typed, wherever it is asked from.
  if (wholeCatalog && bulk.intent === "delete") throw redirect(productDialogHref("delete-all", listQuery(state)));
  const count = bulk.matching ? (await pageData(() => context.trpc.products.count(filtersOf(state)))).count : bulk.ids.length;
  return { ...bulk, count, wholeCatalog, back };
}

/** A value or tag the dialog was given that does not read: said beside it, with what was typed, to correct. */
type Refused = { error: string; values: Record<string, string> };

export async function action({ request, context }: ActionFunctionArgs): Promise<Response | Refused> {
  const { state, back } = listOf(new URL(request.url));
  const form = await request.formData();
  const { intent, matching, ids, tooMany } = requestedBulk(form);
  if (!intent || (!matching && ids.length === 0) || tooMany) {
    const message = tooMany
      ? `Nothing was changed: at most ${formatCount(BULK_IDS_LIMIT)} ticked products at once; select all matching for more.`
      : "Nothing was changed: select products and an action first.";
    return redirectWithToast(back, { message, tone: "error" });
  }
  const filters = filtersOf(state);
  const target = matching ? (isFiltered(state) ? { filter: filters } : { filter: {}, all: true as const }) : { ids };
  const refused = (error: string): Refused => ({ error, values: typedValues(form) });
  try {
    if (intent === "delete") {
      const { deleted, unknown } = await context.trpc.products.bulkDelete(target);
      return redirectWithToast(back, { message: bulkOutcome(intent, { changed: deleted, unknown }), tone: "success" });
    }
    const asked = bulkChangeOf(intent, form);
    if ("problem" in asked) return refused(asked.problem);
    const { updated, unchanged, unknown } = await context.trpc.products.bulkUpdate({ ...target, ...asked.change });
    return redirectWithToast(back, { message: bulkOutcome(intent, { changed: updated, unchanged, unknown }, form), tone: "success" });
  } catch (error) {
    // What was typed did not read: said in the dialog. Anything else (the catalog busy) is a toast, the rows still ticked.
    const typedWrong = BULK_INTENTS[intent].asks !== "confirmation" ? valueProblem(error) : null;
    if (typedWrong) return refused(typedWrong);
    return redirectWithToast(back, { message: refusalMessage(error), tone: "error" });
  }
}

/** The server's words for a value or tag it could not take (`price "abc" is not a number`), if that is why it refused. */
function valueProblem(error: unknown): string | null {
  const errors = fieldErrorsFrom(error);
  const refusedInput = errors && (error as { code?: string }).code === "BAD_REQUEST";
  return refusedInput ? (errors.set ?? errors.addTags ?? errors.removeTags ?? errors.form ?? null) : null;
}

const typedValues = (form: FormData) => Object.fromEntries(Object.values(BULK_FORM_FIELDS).map((name) => [name, String(form.get(name) ?? "")]));

export default function BulkAction() {
  const { intent, matching, ids, tooMany, count, wholeCatalog, back } = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
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
  const named = productsLabel(count);
  const { title, button, note } = wording(intent, named);
  const asks = BULK_INTENTS[intent].asks;
  return (
    <RouteDialog title={title} backTo={back}>
      <p>
        {matching ? (wholeCatalog ? "This is every product in the catalog. " : "Every product matching the current filters. ") : null}
        {note}
      </p>
      <Form method="post" replace preventScrollReset className={asks === "confirmation" ? undefined : "product-form"}>
        <input type="hidden" name="intent" value={intent} />
        {matching ? (
          <input type="hidden" name="scope" value={MATCHING_SCOPE} />
        ) : (
          ids.map((id) => <input key={id} type="hidden" name="id" value={id} />)
        )}
        {asks === "field" ? <FieldAndValue refused={refused} /> : null}
        {asks === "tags" ? <TagsField refused={refused} removing={intent === "removeTags"} /> : null}
        <div className="dialog-actions">
          <Link to={back} className="button" replace preventScrollReset>
            Cancel
          </Link>
          <button type="submit" className={`button ${intent === "delete" ? "danger" : "primary"}`}>
            {button}
          </button>
        </div>
      </Form>
    </RouteDialog>
  );
}

/** The dialog's title, its button, and what it says will happen, for `named` products ("3 products"). */
function wording(intent: BulkIntent, named: string): { title: string; button: string; note: string } {
  switch (intent) {
    case "delete":
      return { title: `Delete ${named}?`, button: `Delete ${named}`, note: "They are removed from the catalog. This cannot be undone." };
    case "setField":
      return {
        title: `Set a field on ${named}`,
        button: `Set on ${named}`,
        note: "Products that have that value already are left as they are.",
      };
    case "addTags":
      return {
        title: `Add tags to ${named}`,
        button: `Add to ${named}`,
        note: "Each tag goes after a product's own, unless it has it already (in any case).",
      };
    case "removeTags":
      return { title: `Remove tags from ${named}`, button: `Remove from ${named}`, note: "Tags are matched in any case." };
    case "activate":
    case "deactivate": {
      const { verb } = BULK_INTENTS[intent];
      const flag = intent === "activate" ? "active" : "inactive";
      return { title: `${verb} ${named}?`, button: `${verb} ${named}`, note: `Products that are ${flag} already are left as they are.` };
    }
  }
}

const ERROR_ID = "bulk-value-error";

/** Which field, and its new value: typed as the product form takes it; empty clears the field. */
function FieldAndValue({ refused }: { refused?: Refused }) {
  const invalid = refused ? { "aria-invalid": true, "aria-describedby": ERROR_ID } : {};
  return (
    <>
      <label>
        Field
        <select name={BULK_FORM_FIELDS.field} defaultValue={refused?.values.field ?? SETTABLE_FIELDS[0]!.field}>
          {SETTABLE_FIELDS.map(({ field, label }) => (
            <option key={field} value={field}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Value
        <input type="text" name={BULK_FORM_FIELDS.value} defaultValue={refused?.values.value ?? ""} autoComplete="off" {...invalid} />
      </label>
      {refused ? (
        <p className="field-error" id={ERROR_ID} role="alert">
          {refused.error}
        </p>
      ) : null}
      <p className="hint field-hint">Leave it empty to clear the field. Tags are separated by commas and replace the product&apos;s own.</p>
    </>
  );
}

function TagsField({ refused, removing }: { refused?: Refused; removing: boolean }) {
  const invalid = refused ? { "aria-invalid": true, "aria-describedby": ERROR_ID } : {};
  return (
    <>
      <label>
        {removing ? "Tags to remove" : "Tags to add"}
        <input
          type="text"
          name={BULK_FORM_FIELDS.tags}
          defaultValue={refused?.values.tags ?? ""}
          autoComplete="off"
          placeholder="sale, summer"
          {...invalid}
        />
      </label>
      {refused ? (
        <p className="field-error" id={ERROR_ID} role="alert">
          {refused.error}
        </p>
      ) : null}
      <p className="hint field-hint">Separated by commas.</p>
    </>
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
