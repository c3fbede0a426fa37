import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, Outlet, useLoaderData } from "@remix-run/react";
import { FeedRunBadge } from "~/components/feed-run-badge";
import { formatDateTime } from "~/lib/format";
import type { FeedJson } from "../../server/feeds/feed-json";

export const meta: MetaFunction = () => [{ title: "Feeds · Product Importer" }];

/** The feeds, each with its last run; a feed's own page has its runs, Run now, Edit and Delete. */
export async function loader({ context }: LoaderFunctionArgs) {
  return { feeds: await context.trpc.feeds.list({}) };
}

export default function FeedsPage() {
  const { feeds } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-head">
        <h1>Feeds</h1>
        <div className="head-actions">
          <Link className="button primary" to="/feeds/new">
            Add feed
          </Link>
        </div>
      </div>
      <p className="hint">
        A feed fetches a supplier&apos;s file from a URL or an SFTP server on a schedule. An unchanged file costs one request; a changed one is
        reviewed first and applied by itself only within the feed&apos;s limits, otherwise it waits here for you with the reason.
      </p>
      <section className="panel">
        {feeds.length === 0 ? (
          <p className="empty">No feeds yet. Add one to bring a supplier&apos;s nightly file in without uploading it by hand.</p>
        ) : (
          <ul className="webhook-list feed-list">
            {feeds.map((feed) => (
              <FeedRow key={feed.id} feed={feed} />
            ))}
          </ul>
        )}
      </section>
      <Outlet />
    </>
  );
}

function FeedRow({ feed }: { feed: FeedJson }) {
  const last = feed.lastRun;
  return (
    <li className="webhook feed">
      <div className="webhook-main">
        <p>
          <Link to={`/feeds/${feed.id}`} className="feed-name">
            {feed.name}
          </Link>{" "}
          {last ? <FeedRunBadge status={last.status} /> : <span className="badge">Not run yet</span>}
          {feed.enabled ? null : <span className="badge"> Off</span>}
        </p>
        <p className="hint filename">{feed.url}</p>
        <p className="hint">
          {feed.enabled ? `Next run ${formatDateTime(feed.nextRunAt)} (${feed.schedule})` : `Off (${feed.schedule})`}
          {last ? ` · last run ${formatDateTime(last.startedAt)}` : ""}
        </p>
        {feed.failing ? (
          <p className="error" role="status">
            Its last three runs failed: {last?.reason}
          </p>
        ) : null}
        {feed.waitingImportId ? (
          <p className="warning-text" role="status">
            A changed file waits for you: <Link to={`/imports/${feed.waitingImportId}`}>review import {feed.waitingImportId}</Link>.
          </p>
        ) : null}
      </div>
      <div className="row-actions">
        <Link to={`/feeds/${feed.id}`}>Runs</Link>
        <Link to={`/feeds/${feed.id}/edit`}>Edit</Link>
      </div>
    </li>
  );
}
