import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, Outlet, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { FeedRunBadge } from "~/components/feed-run-badge";
import { Pagination, pageFromUrl } from "~/components/pagination";
import { refusalMessage } from "~/lib/action-result";
import { formatBytes, formatDateTime, formatDuration } from "~/lib/format";
import { pageData } from "~/lib/page-errors.server";
import { redirectWithToast } from "~/lib/toast.server";
import { GUARD_KEYS, GUARD_LIMITS } from "../../server/feeds/feed.schema";
import type { FeedRunJson } from "../../server/feeds/feed-json";
import { isId } from "../../server/ids.schema";

export const meta: MetaFunction = () => [{ title: "Feed · Product Importer" }];

const PAGE_SIZE = 25;
/** How often the page looks again while a run is going. */
const REFRESH_MS = 2_000;

/** The run history's column headings; on a phone each run is a card that repeats them beside its values. */
const RUN_COLUMNS = { started: "Started", outcome: "Outcome", took: "Took", bytes: "File", result: "Import", reason: "Reason" } as const;

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const id = params.id ?? "";
  if (!isId(id)) throw new Response(`There is no feed ${id}.`, { status: 404, statusText: "Not Found" });
  const page = pageFromUrl(request.url);
  const [feed, runs] = await pageData(() =>
    Promise.all([context.trpc.feeds.get({ id }), context.trpc.feeds.runs({ id, page, pageSize: PAGE_SIZE })]),
  );
  return { feed, runs };
}

export async function action({ params, context }: ActionFunctionArgs) {
  const back = `/feeds/${params.id}`;
  try {
    await context.trpc.feeds.run({ id: params.id ?? "" });
    return redirectWithToast(back, { message: "Running it now.", tone: "success" });
  } catch (error) {
    return redirectWithToast(back, { message: refusalMessage(error), tone: "error" });
  }
}

export default function FeedPage() {
  const { feed, runs } = useLoaderData<typeof loader>();
  const running = feed.lastRun?.status === "running";
  const revalidator = useRevalidator();
  const submitting = useNavigation().state === "submitting";
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle" && document.visibilityState === "visible") revalidator.revalidate();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [running, revalidator]);
  return (
    <>
      <p className="crumbs">
        <Link to="/feeds">Feeds</Link> / {feed.name}
      </p>
      <div className="page-head">
        <h1>{feed.name}</h1>
        <div className="head-actions">
          <Form method="post">
            <button type="submit" className="button primary" disabled={running || submitting}>
              {running ? "Running…" : "Run now"}
            </button>
          </Form>
          <Link className="button" to={`/feeds/${feed.id}/edit`}>
            Edit
          </Link>
          <Link className="button danger" to={`/feeds/${feed.id}/delete`} preventScrollReset>
            Delete
          </Link>
        </div>
      </div>
      <section className="panel feed-summary">
        <p className="filename">{feed.url}</p>
        <p className="hint">
          {feed.enabled
            ? `Runs ${feed.schedule} (UTC); next ${formatDateTime(feed.nextRunAt)}.`
            : `Off: it runs only when you run it (${feed.schedule}).`}
          {feed.username ? ` Logs in as ${feed.username}.` : ""}
          {feed.headerNames.length ? ` Sends ${feed.headerNames.join(", ")}.` : ""}
        </p>
        <p className="hint">
          Applied by itself within: {GUARD_KEYS.map((key) => `${GUARD_LIMITS[key].label.toLowerCase()} ${feed.guard[key]}%`).join(", ")}.
        </p>
        {feed.failing ? (
          <p className="error" role="status">
            Its last three runs failed. The last one said: {feed.lastRun?.reason}
          </p>
        ) : null}
        {feed.waitingImportId ? (
          <p className="warning-text" role="status">
            A changed file waits for you: <Link to={`/imports/${feed.waitingImportId}`}>review import {feed.waitingImportId}</Link> and apply or
            discard it.
          </p>
        ) : null}
      </section>
      <section className="panel">
        <h2>Runs</h2>
        {runs.items.length === 0 ? (
          <p className="empty">No runs yet. It runs at its next time, or now with Run now.</p>
        ) : (
          <div className="table-scroll">
            <table className="feed-runs stack-on-phone">
              <thead>
                <tr>
                  {Object.values(RUN_COLUMNS).map((heading) => (
                    <th key={heading} scope="col">
                      {heading}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {runs.items.map((run) => (
                  <RunRow key={run.id} run={run} />
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pagination total={runs.total} page={runs.page} pageSize={runs.pageSize} />
      </section>
      <Outlet />
    </>
  );
}

function RunRow({ run }: { run: FeedRunJson }) {
  const took = run.finishedAt ? formatDuration(new Date(run.finishedAt).getTime() - new Date(run.startedAt).getTime()) : "—";
  return (
    <tr>
      <td data-label={RUN_COLUMNS.started}>
        {formatDateTime(run.startedAt)}
        <span className="hint run-trigger">{run.trigger === "manual" ? "Run now" : "Scheduled"}</span>
      </td>
      <td data-label={RUN_COLUMNS.outcome}>
        <FeedRunBadge status={run.status} />
        {run.tries > 1 ? <span className="hint"> after {run.tries} tries</span> : null}
      </td>
      <td data-label={RUN_COLUMNS.took}>{took}</td>
      <td data-label={RUN_COLUMNS.bytes}>{run.bytes === null ? "—" : formatBytes(run.bytes)}</td>
      <td data-label={RUN_COLUMNS.result}>{run.importId ? <Link to={`/imports/${run.importId}`}>Import {run.importId}</Link> : "—"}</td>
      <td data-label={RUN_COLUMNS.reason} className="reason wide">
        {run.reason ?? ""}
      </td>
    </tr>
  );
}
