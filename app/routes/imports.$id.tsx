import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { StatusBadge } from "~/components/status-badge";
import { useToast } from "~/components/toasts";
import { Pagination, pageFromUrl } from "~/components/pagination";
import { refusalMessage } from "~/lib/action-result";
import { redirectWithToast } from "~/lib/toast.server";
import { PAGES } from "../../server/page-paths";
import { pageData } from "~/lib/page-errors.server";
import { isId } from "../../server/ids";
import { durationBetween, formatBytes, formatCount, formatDateTime, formatDuration } from "~/lib/format";
import { describeMapping, describeReadAs, isTerminal, type ImportJson } from "~/lib/import-status";
import { useImportProgress, useTimeLeft } from "~/lib/use-import-progress";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.item.filename} · Imports · Product Importer` : "Import · Product Importer" },
];

const ERRORS_PAGE_SIZE = 50;

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const id = params.id ?? "";
  if (!isId(id)) throw new Response(`There is no import ${id}.`, { status: 404, statusText: "Not Found" });
  const errorsPage = pageFromUrl(request.url, "errorsPage");
  const [item, rejected] = await pageData(() =>
    Promise.all([context.trpc.imports.get({ id }), context.trpc.imports.errors({ id, page: errorsPage, pageSize: ERRORS_PAGE_SIZE })]),
  );
  return { item, rejected };
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const id = params.id ?? "";
  const back = `${PAGES.imports}/${id}`;
  const intent = (await request.formData()).get("intent");
  try {
    if (intent === "cancel") await context.trpc.imports.cancel({ id });
    else if (intent === "retry") await context.trpc.imports.retry({ id });
    else return redirectWithToast(back, { message: "Unknown action.", tone: "error" });
  } catch (error) {
    return redirectWithToast(back, { message: refusalMessage(error), tone: "error" });
  }
  const message = intent === "cancel" ? "Import cancelled; the catalog is unchanged." : "Import queued again.";
  return redirectWithToast(back, { message, tone: "success" });
}

export default function ImportPage() {
  const { item: initial, rejected } = useLoaderData<typeof loader>();
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
        {formatBytes(item.sizeBytes)} · uploaded {formatDateTime(item.uploadedAt ?? item.createdAt)} · {describeReadAs(item)}
        {describeMapping(item.mapping) ? ` · columns: ${describeMapping(item.mapping)}` : ""}
      </p>
      <section className="panel" aria-labelledby="progress-heading">
        <h2 id="progress-heading" className="visually-hidden">
          Progress
        </h2>
        <ImportProgress item={item} />
        {!isTerminal(item.status) || item.retryable || item.status === "failed" ? (
          <Form method="post" className="actions">
            {!isTerminal(item.status) ? (
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
      </section>
      <RejectedRows item={item} rejected={rejected} />
    </>
  );
}

function ImportProgress({ item }: { item: ImportJson }) {
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
            {formatCount(item.totalRows)} rows checked ({formatCount(item.errorCount)} rejected). Queued: imports apply one at a time, in the order
            their uploads finished.
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
    case "completed":
      return (
        <div className="summary" aria-live="polite">
          <Stat label="Created" value={item.createdCount} />
          <Stat label="Updated" value={item.updatedCount} />
          <Stat label="Rejected" value={item.errorCount} tone={item.errorCount ? "warn" : undefined} />
          <Stat label="Rows in file" value={item.totalRows} />
          <div className="stat">
            <span className="stat-value">{durationBetween(item.createdAt, item.finishedAt)}</span>
            <span className="stat-label">Duration</span>
          </div>
        </div>
      );
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
        </div>
      );
  }
}

function Stat({ label, value, tone }: { label: string; value: number; tone?: "warn" }) {
  return (
    <div className={`stat ${tone ?? ""}`}>
      <span className="stat-value">{formatCount(value)}</span>
      <span className="stat-label">{label}</span>
    </div>
  );
}

function RejectedRows({
  item,
  rejected,
}: {
  item: ImportJson;
  rejected: { items: { line: number; message: string; fields: string[] }[]; total: number; page: number; pageSize: number };
}) {
  if (!rejected.total && !item.errorCount) return null;
  return (
    <section className="panel" aria-labelledby="rejected-heading">
      <div className="panel-head">
        <h2 id="rejected-heading">Rejected rows ({formatCount(Math.max(rejected.total, item.errorCount))})</h2>
        <a className="button" href={`/api/imports/${item.id}/errors.csv`} download>
          Download errors.csv
        </a>
      </div>
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col" className="num">
                Line
              </th>
              <th scope="col">Problem</th>
              <th scope="col">Row as in the file</th>
            </tr>
          </thead>
          <tbody>
            {rejected.items.map((row) => (
              <tr key={row.line}>
                <td className="num">{row.line}</td>
                <td>{row.message}</td>
                <td className="fields">{row.fields.join(", ").slice(0, 300)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pagination total={rejected.total} page={rejected.page} pageSize={rejected.pageSize} param="errorsPage" />
    </section>
  );
}
