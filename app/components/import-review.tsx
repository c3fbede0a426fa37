import { Form, Link, useLocation } from "@remix-run/react";
import { CountStat } from "~/components/count-stat";
import { Pagination } from "~/components/pagination";
import { formatCount, formatDateTime, formatPrice } from "~/lib/format";
import { useCurrency } from "~/lib/use-currency";
import { explainSkipped, describeApplying, type ImportJson } from "~/lib/import-status";
import type { ReviewJson } from "../../server/imports/review/review-import";
import type { ChangeKind } from "../../server/imports/import.schema";
import type { listChanges } from "../../server/imports/review/import-changes";
import { targetLabel, useFields, valueOfTarget, type CustomField } from "~/lib/use-fields";
import { countWords } from "../../server/count-words";

export type ChangesPage = Awaited<ReturnType<typeof listChanges>>;

const KIND_TABS: { kind: ChangeKind | null; label: string; count: (review: ReviewJson) => number }[] = [
  { kind: null, label: "All changes", count: (r) => r.created + r.updated + r.removed },
  { kind: "update", label: "Updates", count: (r) => r.updated },
  { kind: "create", label: "New SKUs", count: (r) => r.created },
  { kind: "remove", label: "Removed", count: (r) => r.removed },
];

/** A changed field's name in the review (the SKU changes only in how it is spelled). */
const changedLabel = (field: string, fields: readonly CustomField[]) => (field === "sku" ? "SKU spelling" : targetLabel(field, fields));
const CORE_FIELDS = new Set<string>(["sku", "name", "description", "active"]);
/** "a, b and c" */
const listInWords = (parts: string[]) => (parts.length < 2 ? parts.join("") : `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`);

/** "Of the updates, 1 changes its name and 3 become inactive": what the updates do, field by field. */
function describeUpdates(review: ReviewJson, fields: readonly CustomField[]): string | null {
  const { changed } = review;
  const parts = [
    changed.name ? countWords(changed.name, "changes its name", "change their names") : "",
    changed.description ? countWords(changed.description, "changes its description", "change their descriptions") : "",
    changed.sku ? countWords(changed.sku, "changes the spelling of its SKU", "change the spelling of their SKUs") : "",
    review.activated ? countWords(review.activated, "becomes active", "become active") : "",
    review.deactivated ? countWords(review.deactivated, "becomes inactive", "become inactive") : "",
    ...Object.entries(changed)
      .filter(([field, count]) => count > 0 && !CORE_FIELDS.has(field) && field !== "active")
      .map(([field, count]) => {
        const label = changedLabel(field, fields).toLowerCase();
        return countWords(count, `changes its ${label}`, `change their ${label}`);
      }),
  ].filter(Boolean);
  return parts.length ? `Of the updates, ${listInWords(parts)}.` : null;
}

/**
 * Why applying would change nothing (no product created, updated or removed), in words; null when
 * it would change something. Every row of the file is in one count, so the non-zero ones say why.
 */
function whyNothingWouldChange(review: ReviewJson): string | null {
  if (review.created + review.updated + review.removed > 0) return null;
  if (review.totalRows === 0) return "the file holds no rows";
  const notProducts = review.skippedRowCount;
  const byMode = review.skipped - notProducts;
  if (review.rejected + notProducts === review.totalRows)
    return notProducts ? "every row was rejected or is not a product" : "every row was rejected";
  const reasons = [
    review.unchanged ? countWords(review.unchanged, "product is already as in the file", "products are already as in the file") : "",
    byMode ? countWords(byMode, "SKU is left alone by the mode", "SKUs are left alone by the mode") : "",
    review.rejected ? countWords(review.rejected, "row was rejected", "rows were rejected") : "",
    notProducts ? countWords(notProducts, "row is not a product", "rows are not products") : "",
  ].filter(Boolean);
  if (reasons.length === 1 && review.unchanged) return "every product is already as in the file";
  if (reasons.length === 1 && byMode) return `the mode leaves every SKU of the file alone (it ${describeApplying(review)})`;
  return listInWords(reasons);
}

function show(field: string, value: unknown, currency?: string): string {
  if (field === "active") return value ? "active" : "inactive";
  if ((field === "price" || field === "compareAtPrice") && typeof value === "string") return formatPrice(value, currency);
  if (Array.isArray(value)) return value.length ? value.join(", ") : "(none)";
  return value === "" || value === null || value === undefined ? "(empty)" : String(value);
}

/** What applying a held import would do: counts, warnings, the changes page by page, and Apply / Discard. */
export function ImportReview({
  item,
  review,
  changes,
  kind,
  busy,
}: {
  item: ImportJson;
  review: ReviewJson;
  changes: ChangesPage;
  kind: ChangeKind | null;
  busy: boolean;
}) {
  const nothingToApply = whyNothingWouldChange(review);
  return (
    <section className="panel review" aria-labelledby="review-heading">
      <div className="panel-head">
        <h2 id="review-heading">What applying it would change</h2>
        <span className="hint">Compared with the catalog {formatDateTime(review.computedAt)}</span>
      </div>
      <p className="meta">Mode: {describeApplying(item)}.</p>
      {review.catalogChangedSince ? (
        <p className="callout" role="status">
          The catalog changed since this file was first compared with it: the counts below are against the catalog as it is now.
        </p>
      ) : null}
      <ReviewCounts review={review} />
      {review.warnings.length ? (
        <ul className="warnings" aria-label="Worth knowing">
          {review.warnings.map((warning) => (
            <li key={warning}>{warning}</li>
          ))}
        </ul>
      ) : null}
      {nothingToApply ? (
        <p className="callout" role="status">
          Applying would change nothing: {nothingToApply}. Discard it to close the review; the catalog stays as it is.
        </p>
      ) : null}
      <Form method="post" className="actions review-actions">
        {nothingToApply ? null : (
          <>
            {/* The counts shown were computed against this catalog: an apply after it changed asks first. */}
            <input type="hidden" name="reviewedCatalogVersion" value={review.catalogVersion} />
            {review.needsSyncConfirmation ? (
              <label className="checkbox confirm">
                <input type="checkbox" name="confirmLargeSync" value="1" required />I understand that this sync{" "}
                {item.syncAction === "delete" ? "deletes" : "deactivates"} {formatCount(review.removed)} of the catalog&apos;s{" "}
                {formatCount(review.catalogSize)} products
              </label>
            ) : null}
            <button className="button primary" name="intent" value="apply" disabled={busy}>
              Apply import
            </button>
          </>
        )}
        <button className={nothingToApply ? "button primary" : "button"} name="intent" value="discard" disabled={busy} formNoValidate>
          Discard
        </button>
        {nothingToApply ? null : <span className="hint">Applying recounts against the catalog as it is then; a completed import can be undone.</span>}
      </Form>
      <ChangesTable review={review} changes={changes} kind={kind} />
    </section>
  );
}

function ReviewCounts({ review }: { review: ReviewJson }) {
  const updates = describeUpdates(review, useFields());
  return (
    <>
      <div className="summary" aria-label="Counts">
        <CountStat label="Created" value={review.created} explain="new SKUs" />
        <CountStat label="Updated" value={review.updated} explain="values change" />
        <CountStat label="Unchanged" value={review.unchanged} explain="already as in the file" />
        {review.skipped ? (
          <CountStat label="Skipped" value={review.skipped} explain={explainSkipped(review.mode, review.skipped, review.skippedRowCount)} />
        ) : null}
        {review.removed || review.mode === "sync" ? (
          <CountStat label="Removed" value={review.removed} explain="not in the file" warn={review.removed > 0} />
        ) : null}
        <CountStat label="Rejected" value={review.rejected} explain="see the rejected rows" warn={review.rejected > 0} />
        <CountStat label="Repeated" value={review.repeated} explain="a later row of the SKU wins" />
        {review.folded ? <CountStat label="Folded" value={review.folded} explain="went into other rows" /> : null}
        <CountStat label="Rows in the file" value={review.totalRows} explain="all of the above" />
      </div>
      {updates ? <p className="meta">{updates}</p> : null}
    </>
  );
}

function ChangesTable({ review, changes, kind }: { review: ReviewJson; changes: ChangesPage; kind: ChangeKind | null }) {
  const location = useLocation();
  const hrefFor = (next: ChangeKind | null) => {
    const params = new URLSearchParams(location.search);
    params.delete("changesPage");
    if (next) params.set("kind", next);
    else params.delete("kind");
    const query = params.toString();
    return `${location.pathname}${query ? `?${query}` : ""}`;
  };
  return (
    <div className="changes">
      <nav className="tabs" aria-label="Kinds of change">
        {KIND_TABS.filter((tab) => tab.kind !== "remove" || review.mode === "sync").map((tab) => (
          <Link key={tab.label} to={hrefFor(tab.kind)} aria-current={tab.kind === kind ? "page" : undefined} preventScrollReset>
            {tab.label} ({formatCount(tab.count(review))})
          </Link>
        ))}
      </nav>
      {changes.items.length === 0 ? (
        <p className="empty">Nothing of this kind.</p>
      ) : (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">SKU</th>
                <th scope="col">Change</th>
                <th scope="col">Before → after</th>
              </tr>
            </thead>
            <tbody>
              {changes.items.map((change) => (
                <tr key={`${change.kind}-${change.sku}`}>
                  <td className="filename">{change.sku}</td>
                  <td>{change.kind === "update" ? "Update" : change.kind === "create" ? "New" : change.after ? "Deactivate" : "Delete"}</td>
                  <td>
                    <ChangeDetail change={change} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination total={changes.total} page={changes.page} pageSize={changes.pageSize} param="changesPage" />
    </div>
  );
}

function ChangeDetail({ change }: { change: ChangesPage["items"][number] }) {
  const currency = useCurrency();
  const fields = useFields();
  if (change.kind === "create" && change.after) {
    return (
      <span>
        {change.after.name} · {show("active", change.after.active)}
        {change.after.description ? ` · ${change.after.description.slice(0, 120)}` : ""}
      </span>
    );
  }
  if (change.kind === "remove")
    return (
      <span>
        {change.before?.name ?? ""} · {change.after ? "becomes inactive" : "is deleted"}
      </span>
    );
  return (
    <ul className="field-changes">
      {change.changedFields.map((field) => (
        <li key={field}>
          <span className="field-name">{changedLabel(field, fields)}:</span>{" "}
          <del>{show(field, valueOfTarget(change.before, field), currency).slice(0, 160)}</del> →{" "}
          <ins>{show(field, valueOfTarget(change.after, field), currency).slice(0, 160)}</ins>
          {/* Descriptions are shown as their text: a change to the markup alone reads the same on both sides. */}
          {field === "description" && change.before?.description === change.after?.description ? " (the markup changes)" : null}
        </li>
      ))}
    </ul>
  );
}
