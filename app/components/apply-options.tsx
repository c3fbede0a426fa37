import { useEffect, useState } from "react";
import { ChoiceSelect } from "~/components/choice-select";
import { EMPTY_DESCRIPTION_LABELS, MODE_LABELS, SYNC_ACTION_LABELS } from "~/lib/import-status";
import { EMPTY_DESCRIPTION_RULES, IMPORT_MODES, SYNC_ACTIONS } from "../../server/imports/import.schema";

/** The browser remembers whether this person reviews imports first (the default) or applies them straight away. */
const REVIEW_PREFERENCE = "product-importer.review-first";

/** Whether to review first: true until this browser was told otherwise. */
export function useReviewPreference(): [boolean, (next: boolean) => void] {
  const [review, setReview] = useState(true);
  useEffect(() => {
    if (window.localStorage.getItem(REVIEW_PREFERENCE) === "no") setReview(false);
  }, []);
  const choose = (next: boolean) => {
    setReview(next);
    window.localStorage.setItem(REVIEW_PREFERENCE, next ? "yes" : "no");
  };
  return [review, choose];
}

/**
 * How the upload applies (CONTRACT.md's review, mode, syncAction, emptyDescription), as plain form
 * fields: the form posts them without JavaScript, and the upload panel sends them before the file.
 * They come before the file input so a plain form sends them first, as the server reads them.
 */
export function ApplyOptions({ disabled, review, onReview }: { disabled: boolean; review: boolean; onReview: (next: boolean) => void }) {
  const [mode, setMode] = useState<string>("upsert");
  return (
    <fieldset className="apply-options" disabled={disabled}>
      <legend>How it applies</legend>
      <label className="checkbox">
        <input type="checkbox" name="review" value="1" checked={review} onChange={(event) => onReview(event.currentTarget.checked)} />
        Review the changes before applying them
      </label>
      <label>
        <span>Mode</span>
        <ChoiceSelect name="mode" choices={IMPORT_MODES} labels={MODE_LABELS} value={mode} onChange={(event) => setMode(event.currentTarget.value)} />
      </label>
      <details open={mode === "sync" ? true : undefined}>
        <summary>Sync, empty cells and image paths</summary>
        <div className="apply-more">
          <label>
            <span>Products not in the file (sync)</span>
            <ChoiceSelect name="syncAction" choices={SYNC_ACTIONS} labels={SYNC_ACTION_LABELS} defaultValue="deactivate" />
          </label>
          <label>
            <span>An empty description cell</span>
            <ChoiceSelect name="emptyDescription" choices={EMPTY_DESCRIPTION_RULES} labels={EMPTY_DESCRIPTION_LABELS} defaultValue="clear" />
          </label>
          <label>
            <span>Base URL of relative image paths (a Magento export's /m/b/jkt.jpg)</span>
            <input type="url" name="imageBaseUrl" placeholder="https://shop.example.com/media/catalog/product/" inputMode="url" autoComplete="off" />
          </label>
        </div>
      </details>
      {!review ? <p className="hint">The file applies as soon as it is uploaded; you can still undo it afterwards.</p> : null}
    </fieldset>
  );
}
