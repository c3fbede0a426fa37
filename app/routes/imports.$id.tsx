import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, Outlet, useLoaderData, useNavigation } from "@remix-run/react";
import { ImportAccounting, RepeatedSkus, RowWarnings, UndoPanel } from "~/components/import-accounting";
import { ImportReview } from "~/components/import-review";
import {
  APPLY_QUEUED,
  applyImport,
  formFields,
  importPageIntent,
  isStaleReview,
  staleReviewDialogPath,
  type ImportPageIntent,
} from "~/lib/apply-review.server";
import { useEffect, useRef } from "react";
import { StatusBadge } from "~/components/status-badge";
import { useToast } from "~/components/toasts";
import { pageFromUrl } from "~/components/pagination";
import { refusalMessage } from "~/lib/action-result";
import { redirectWithToast } from "~/lib/toast.server";
import { PAGES } from "../../server/page-paths";
import { pageData } from "~/lib/page-errors.server";
import { RejectedRowsGrid } from "~/components/rejected-rows-grid";
import { isId } from "../../server/ids.schema";
import { descriptionExcerpt } from "../../server/products/description-html";
import { formatBytes, formatCount, formatDateTime, formatDuration } from "~/lib/format";
import { describeApplying, describeMapping, describeReadAs, isTerminal, type ImportJson } from "~/lib/import-status";
import { CHANGE_KINDS, type ChangeKind } from "../../server/imports/import.schema";
import { useImportProgress, useTimeLeft } from "~/lib/use-import-progress";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.item.filename} · Imports · Product Importer` : "Import · Product Importer" },
];

const ERRORS_PAGE_SIZE = 50;
/** Rejected rows to a page of the grid: each row is a line of inputs. */
const REJECTED_PAGE_SIZE = 25;
const CHANGES_PAGE_SIZE = 25;
const REPEATED_PAGE_SIZE = 25;

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const id = params.id ?? "";
  if (!isId(id)) throw new Response(`There is no import ${id}.`, { status: 404, statusText: "Not Found" });
  const url = new URL(request.url);
  const errorsPage = pageFromUrl(request.url, "errorsPage");
  const kindParam = url.searchParams.get("kind");
  const kind = (CHANGE_KINDS as readonly string[]).includes(kindParam ?? "") ? (kindParam as ChangeKind) : null;
  const problem = url.searchParams.get("problem") ?? undefined;
  const [item, rejected] = await pageData(() =>
    Promise.all([
      context.trpc.imports.get({ id }),
      context.trpc.imports.rejectedRows({
        id,
        page: errorsPage,
        pageSize: REJECTED_PAGE_SIZE,
        ...(problem ? { message: problem.slice(0, 500) } : {}),
      }),
    ]),
  );
  const inReview = item.status === "review";
  const [review, changes, repeated, warnings] = await pageData(() =>
    Promise.all([
      inReview || item.reviewRequested ? context.trpc.imports.review({ id }).catch(() => null) : null,
      inReview
        ? context.trpc.imports.changes({ id, ...(kind ? { kind } : {}), page: pageFromUrl(request.url, "changesPage"), pageSize: CHANGES_PAGE_SIZE })
        : null,
      // In review they are counted from the staged rows: only when asked for.
      item.repeatedCount > 0 || (inReview && url.searchParams.has("repeated"))
        ? context.trpc.imports.repeated({ id, page: pageFromUrl(request.url, "repeatedPage"), pageSize: REPEATED_PAGE_SIZE }).catch(() => null)
        : null,
      item.warningCount > 0
        ? context.trpc.imports.warnings({ id, page: pageFromUrl(request.url, "warningsPage"), pageSize: ERRORS_PAGE_SIZE })
        : null,
    ]),
  );
  return { item, rejected, review, changes: changes && { ...changes, items: changes.items.map(withDescriptionText) }, kind, repeated, warnings };
}

/** Platform descriptions are HTML: the changes list shows their text (the sanitizer stays on the server). */
function withDescriptionText<T extends { before: { description: string } | null; after: { description: string } | null }>(change: T): T {
  const text = <P extends { description: string } | null>(product: P): P =>
    product && { ...product, description: descriptionExcerpt(product.description) };
  return { ...change, before: text(change.before), after: text(change.after) };
}

const DONE: Record<ImportPageIntent["intent"], string> = {
  cancel: "Import cancelled; the catalog is unchanged.",
  retry: "Import queued again.",
  apply: APPLY_QUEUED,
  discard: "Import discarded; the catalog is unchanged.",
};

export async function action({ params, request, context }: ActionFunctionArgs) {
  const id = params.id ?? "";
  const back = `${PAGES.imports}/${id}`;
  const posted = importPageIntent.safeParse(formFields(await request.formData()));
  if (!posted.success) return redirectWithToast(back, { message: "Unknown action.", tone: "error" });
  const intent = posted.data;
  try {
    if (intent.intent === "cancel") await context.trpc.imports.cancel({ id });
    else if (intent.intent === "retry") await context.trpc.imports.retry({ id });
    else if (intent.intent === "apply") await applyImport(context.trpc, id, intent);
    else await context.trpc.imports.discard({ id });
  } catch (error) {
    // The counts the person looked at are out of date: ask before applying (imports.$id.apply.tsx).
    if (intent.intent === "apply" && isStaleReview(error)) return redirect(staleReviewDialogPath(id, intent));
    return redirectWithToast(back, { message: refusalMessage(error), tone: "error" });
  }
  return redirectWithToast(back, { message: DONE[intent.intent], tone: "success" });
}

export default function ImportPage() {
  const { item: initial, rejected, review, changes, kind, repeated, warnings } = useLoaderData<typeof loader>();
  const item = useImportProgress(initial);
  const toast = useToast();
  const navigation = useNavigation();
  const announced = useRef(initial.status);

  useEffect(() => {
    if (announced.current === item.status) return;
    announced.current = item.status;
    if (item.status === "completed") toast(`Import of ${item.filename} completed.`);
    if (item.status === "failed") toast(`Import of ${item.filename} failed.`, "error");
  }, [item.status, item.filename, toast]);

  const busy = navigation.state !== "idle";
  return (
    <>
      <p className="crumbs">
        <Link to="/imports">← Imports</Link>
      </p>
      <h1 className="title-row">
        <span className="filename">{item.filename}</span> <StatusBadge status={item.status} />
      </h1>
      <p className="meta">
        {formatBytes(item.sizeBytes)} · {item.feedId ? "fetched" : "uploaded"} {formatDateTime(item.uploadedAt ?? item.createdAt)}
        {item.feedId ? (
          <>
            {" by "}
            <Link to={`/feeds/${item.feedId}`}>feed {item.feedId}</Link>
          </>
        ) : null}
        {item.fixesImportId ? (
          <>
            {" · fixes rows of "}
            <Link to={`/imports/${item.fixesImportId}`}>import {item.fixesImportId}</Link>
          </>
        ) : null}
        {` · ${describeReadAs(item)}`}
        {describeMapping(item.mapping) ? ` · columns: ${describeMapping(item.mapping)}` : ""}
        {item.mode !== "upsert" || item.emptyDescription !== "clear" ? ` · ${describeApplying(item)}` : ""}
      </p>
      {item.status === "review" && item.heldReason ? (
        <p className="warning-text held-reason" role="status">
          {item.heldReason} Apply it or discard it below.
        </p>
      ) : null}
      <section className="panel" aria-labelledby="progress-heading">
        <h2 id="progress-heading" className="visually-hidden">
          Progress
        </h2>
        <ImportProgress item={item} review={review} />
        {(!isTerminal(item.status) && item.status !== "review") || item.retryable || item.status === "failed" ? (
          <Form method="post" className="actions">
            {!isTerminal(item.status) && item.status !== "review" ? (
              <button className="button" name="intent" value="cancel" disabled={busy}>
                Cancel import
              </button>
            ) : null}
            {item.retryable ? (
              <button className="button primary" name="intent" value="retry" disabled={busy}>
                Retry
              </button>
            ) : null}
            {item.status === "failed" && !item.retryable ? <Link to="/imports">Upload the file again</Link> : null}
          </Form>
        ) : null}
        {item.status === "completed" || item.status === "reverted" ? <UndoPanel item={item} /> : null}
      </section>
      <ImportNotices item={item} />
      {item.status === "review" && review && changes ? <ImportReview item={item} review={review} changes={changes} kind={kind} busy={busy} /> : null}
      <RejectedRowsGrid item={item} grid={rejected} />
      <RowWarnings item={item} warnings={warnings} />
      <RepeatedSkus repeated={repeated} />
      {item.status === "review" && !repeated && review && review.repeated > 0 ? (
        <p>
          <Link to="?repeated=1" preventScrollReset>
            List the SKUs the file repeats
          </Link>
        </p>
      ) : null}
      <Outlet />
    </>
  );
}

const describeLeftOut = (item: ImportJson) =>
  `${formatCount(item.errorCount)} rejected${item.skippedRowCount ? `, ${formatCount(item.skippedRowCount)} skipped as not products` : ""}`;

function ImportProgress({ item, review }: { item: ImportJson; review: Parameters<typeof ImportAccounting>[0]["review"] }) {
  const timeLeft = useTimeLeft(item);
  switch (item.status) {
    case "uploading":
      return (
        <div className="phase" aria-live="polite">
          <progress aria-label="Reading the file" />
          <p>
            Receiving the file: {formatCount(item.totalRows)} rows read so far, {formatCount(item.errorCount)} rejected.
          </p>
        </div>
      );
    case "queued":
      return (
        <div className="phase" aria-live="polite">
          <progress aria-label="Waiting" />
          <p>
            {formatCount(item.totalRows)} rows checked ({describeLeftOut(item)}). Queued: imports apply one at a time, in the order their uploads
            finished.
          </p>
        </div>
      );
    case "processing": {
      const percent = item.totalRows ? Math.floor((item.processedRows / item.totalRows) * 100) : 0;
      return (
        <div className="phase" aria-live="polite">
          <progress max={100} value={percent} aria-label="Import progress" />
          <p>
            Importing {formatCount(item.processedRows)} of {formatCount(item.totalRows)} rows ({percent}%)
            {timeLeft !== null ? ` · about ${formatDuration(timeLeft)} left` : ""}
          </p>
        </div>
      );
    }
    case "review":
      return (
        <div className="phase" aria-live="polite">
          <p>
            {formatCount(item.totalRows)} rows checked ({describeLeftOut(item)}) and compared with the catalog. Nothing has changed yet: look through
            what it would do, then apply or discard it.
          </p>
        </div>
      );
    case "completed":
    case "reverted":
      return <ImportAccounting item={item} review={review} />;
    case "failed":
      return (
        <div className="callout error" role="alert">
          <strong>The import failed and nothing was changed.</strong>
          <p>{item.error}</p>
        </div>
      );
    case "cancelled":
      return (
        <div className="callout">
          <strong>The import was cancelled.</strong> The catalog is exactly as it was before.
          {item.error ? <p>{item.error}</p> : null}
        </div>
      );
  }
}

/** What reading the file is worth saying once: SKUs made from handles, rows skipped as not products. */
function ImportNotices({ item }: { item: ImportJson }) {
  if (!item.notices.length) return null;
  return (
    <section className="panel" aria-labelledby="notices-heading">
      <h2 id="notices-heading">How the file was read</h2>
      <ul className="notices">
        {item.notices.map((notice) => (
          <li key={notice}>{notice}</li>
        ))}
      </ul>
    </section>
  );
}
