import { Form } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { BULK_DIALOG_PATH, BULK_INTENTS, MATCHING_SCOPE, type BulkIntent } from "~/lib/bulk-actions";
import { formatCount } from "~/lib/format";
import { useHydrated } from "~/lib/use-hydrated";
import type { RowSelection } from "~/lib/use-row-selection";

/** The form the rows' checkboxes belong to (their `form` attribute), wherever they are on the page. */
export const BULK_FORM = "bulk-selection";

interface BulkToolbarProps {
  selection: RowSelection;
  /** The list's query (filters, sort, page, columns): the dialog reads its filters and goes back to it. */
  search: string;
  pageCount: number;
  total: number;
  totalExact: boolean;
}

/**
 * Acts on the selected rows, or on every product matching the filters. It opens the bulk dialog
 * (app/routes/products.bulk.tsx, a GET with the list's query) which names the count before
 * anything changes; without scripts it submits whatever boxes are ticked. With nothing selected
 * the buttons still answer (the dialog says to select first) rather than vanish from the Tab order.
 */
export function BulkToolbar({ selection, search, pageCount, total, totalExact }: BulkToolbarProps) {
  const hydrated = useHydrated();
  const pageBox = useRef<HTMLInputElement>(null);
  const count = selection.selected.size;
  const more = totalExact ? total > pageCount : true;
  const matchingLabel = totalExact ? `all ${formatCount(total)} matching` : `all matching (more than ${formatCount(total)})`;
  useEffect(() => {
    if (pageBox.current) pageBox.current.indeterminate = count > 0 && !selection.wholePage;
  }, [count, selection.wholePage]);
  // The buttons below unmount once used; focus goes back to the page's box instead of the document.
  const thenFocusPageBox = (act: () => void) => () => {
    act();
    pageBox.current?.focus();
  };
  return (
    <Form method="get" action={BULK_DIALOG_PATH} id={BULK_FORM} className="bulk-toolbar" preventScrollReset>
      {[...new URLSearchParams(search)].map(([key, value]) => (
        <input key={key} type="hidden" name={key} value={value} />
      ))}
      {selection.matching ? <input type="hidden" name="scope" value={MATCHING_SCOPE} /> : null}
      <label className="select-page">
        <input
          ref={pageBox}
          type="checkbox"
          checked={selection.wholePage}
          disabled={!hydrated || pageCount === 0}
          onChange={(event) => selection.setPage(event.currentTarget.checked)}
        />
        Select page
      </label>
      <div className="selection-status">
        <p aria-live="polite">
          {selection.matching ? `${capitalized(matchingLabel)} selected` : count > 0 ? `${formatCount(count)} selected` : "None selected"}
        </p>
        {hydrated && selection.wholePage && more && !selection.matching ? (
          <button type="button" className="button-link" onClick={thenFocusPageBox(selection.selectMatching)}>
            Select {matchingLabel}
          </button>
        ) : null}
        {count > 0 ? (
          <button type="button" className="button-link" onClick={thenFocusPageBox(selection.clear)}>
            Clear
          </button>
        ) : null}
      </div>
      <div className="bulk-actions">
        {(Object.keys(BULK_INTENTS) as BulkIntent[]).map((intent) => (
          <button
            key={intent}
            type="submit"
            name="intent"
            value={intent}
            className={`button${intent === "delete" ? " danger" : ""}${hydrated && count === 0 ? " idle" : ""}`}
          >
            {BULK_INTENTS[intent].verb}…
          </button>
        ))}
      </div>
    </Form>
  );
}

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
