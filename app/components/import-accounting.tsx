import { Link } from "@remix-run/react";
import { CountStat } from "~/components/count-stat";
import { Pagination } from "~/components/pagination";
import { formatCount } from "~/lib/format";
import { describeImportTiming } from "~/lib/import-timing";
import { changedCount, explainSkipped, type ImportJson } from "~/lib/import-status";
import type { ReviewJson } from "../../server/imports/review/review-import";

export interface RepeatedPage {
  items: { sku: string; rows: number; lines: number[] }[];
  total: number;
  page: number;
  pageSize: number;
}

/**
 * A finished import, every row of its file accounted for: created + updated + unchanged + skipped
 * + rejected + repeated = rows in the file (CONTRACT.md's counts), each with what it means.
 */
export function ImportAccounting({ item, review }: { item: ImportJson; review: ReviewJson | null }) {
  const changed = changedCount(item);
  const removedVerb = item.syncAction === "delete" ? "deleted" : "deactivated";
  // The waits (in review, in the queue) apart from the import's own work: an apply of 83 ms after
  // a day in review is not a day-long import.
  const timing = describeImportTiming(item);
  return (
    <>
      <div className="summary" aria-live="polite">
        <CountStat label="Created" value={item.createdCount} explain="new SKUs added" />
        <CountStat label="Updated" value={changed} explain="values changed" />
        <CountStat label="Unchanged" value={item.unchangedCount} explain="already as in the file" />
        {item.skippedCount || item.mode === "create-only" || item.mode === "update-only" ? (
          <CountStat label="Skipped" value={item.skippedCount} explain={explainSkipped(item.mode, item.skippedCount, item.skippedRowCount)} />
        ) : null}
        <CountStat label="Rejected" value={item.errorCount} explain="see the rejected rows" warn={item.errorCount > 0} />
        <CountStat label="Repeated" value={item.repeatedCount} explain="a later row of the SKU won" />
        {item.foldedCount ? <CountStat label="Folded" value={item.foldedCount} explain="went into other rows" /> : null}
        <CountStat label="Rows in the file" value={item.totalRows} explain="all of the above" />
        {item.mode === "sync" ? <CountStat label="Removed" value={item.removedCount} explain={`${removedVerb}: not in the file`} /> : null}
      </div>
      {timing ? <p className="meta">{timing}.</p> : null}
      {item.catalogChangedAfterReview && review ? (
        <p className="callout" role="status">
          The catalog changed between the review and the apply, so these are the counts as applied. The review had shown {formatCount(review.created)}{" "}
          created, {formatCount(review.updated)} updated
          {item.mode === "sync" ? `, ${formatCount(review.removed)} removed` : ""}.
        </p>
      ) : null}
    </>
  );
}

/** The SKUs the file names more than once; the last row of each is the one applied. */
export function RepeatedSkus({ repeated }: { repeated: RepeatedPage | null }) {
  if (!repeated?.total) return null;
  return (
    <section className="panel" aria-labelledby="repeated-heading">
      <div className="panel-head">
        <h2 id="repeated-heading">Repeated SKUs ({formatCount(repeated.total)})</h2>
      </div>
      <p className="hint">These SKUs come more than once in the file; the last row of each is the one that applies.</p>
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">SKU</th>
              <th scope="col" className="num">
                Rows
              </th>
              <th scope="col">Lines (the last one applies)</th>
            </tr>
          </thead>
          <tbody>
            {repeated.items.map((row) => (
              <tr key={row.sku}>
                <td className="filename">{row.sku}</td>
                <td className="num">{formatCount(row.rows)}</td>
                <td>{row.lines.slice(0, 12).join(", ") + (row.lines.length > 12 ? ", …" : "")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pagination total={repeated.total} page={repeated.page} pageSize={repeated.pageSize} param="repeatedPage" />
    </section>
  );
}

/** Offers the undo of a completed import, or says what an undo did. */
export function UndoPanel({ item }: { item: ImportJson }) {
  if (item.status === "reverted" && item.revertSummary) {
    const { restored, removed, kept } = item.revertSummary;
    return (
      <div className="callout" role="status">
        <strong>This import was undone.</strong>
        <p>
          {formatCount(removed)} products it created were removed and {formatCount(restored)} got their previous values back
          {kept
            ? `; ${formatCount(kept)} changed after it were left as they are (${item.revertSummary.keptExamples.join(", ")}${kept > item.revertSummary.keptExamples.length ? ", …" : ""})`
            : ""}
          .
        </p>
      </div>
    );
  }
  if (!item.revertible) return null;
  return (
    <p className="actions">
      <Link className="button" to={`/imports/${item.id}/undo`} preventScrollReset>
        Undo this import
      </Link>
      <span className="hint">Puts the catalog back as it was before it; products changed since are never overwritten.</span>
    </p>
  );
}

export interface WarningsPage {
  items: { line: number; message: string }[];
  total: number;
  page: number;
  pageSize: number;
}

/** What was read but left out of rows that were imported (an image that is no URL), by line. */
export function RowWarnings({ item, warnings }: { item: ImportJson; warnings: WarningsPage | null }) {
  if (!warnings?.total) return null;
  return (
    <section className="panel" aria-labelledby="warnings-heading">
      <div className="panel-head">
        <h2 id="warnings-heading">Warnings ({formatCount(Math.max(warnings.total, item.warningCount))})</h2>
      </div>
      <p className="hint">These rows were imported; what each line says here was left out of them.</p>
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col" className="num">
                Line
              </th>
              <th scope="col">Left out</th>
            </tr>
          </thead>
          <tbody>
            {warnings.items.map((row, at) => (
              <tr key={`${row.line}-${at}`}>
                <td className="num">{row.line}</td>
                <td>{row.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pagination total={warnings.total} page={warnings.page} pageSize={warnings.pageSize} param="warningsPage" />
    </section>
  );
}
