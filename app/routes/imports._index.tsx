import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { UploadPanel } from "~/components/upload-panel";
import { StatusBadge } from "~/components/status-badge";
import { durationBetween, formatBytes, formatCount, formatDateTime } from "~/lib/format";
import { Pagination, pageFromUrl } from "~/components/pagination";
import { pageData } from "~/lib/page-errors.server";

export const meta: MetaFunction = () => [{ title: "Imports · Product Importer" }];

const PAGE_SIZE = 25;

/** The history's column headings; on a phone each row is a card that repeats them beside its values. */
const HISTORY_COLUMNS = {
  file: "File",
  size: "Size",
  status: "Status",
  created: "Created",
  updated: "Updated",
  rejected: "Rejected",
  started: "Started",
  duration: "Duration",
} as const;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const page = pageFromUrl(request.url);
  const [history, mappings] = await pageData(() =>
    Promise.all([context.trpc.imports.list({ page, pageSize: PAGE_SIZE }), context.trpc.mappings.list({})]),
  );
  return { history, mappings, maxUploadBytes: context.settings.maxUploadBytes };
}

export default function ImportsPage() {
  const { history, mappings, maxUploadBytes } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Imports</h1>
      <UploadPanel maxUploadBytes={maxUploadBytes} />
      <section className="panel">
        <h2>History</h2>
        {history.items.length === 0 ? (
          <p className="empty">No imports yet. Upload a CSV above to bring your catalog in.</p>
        ) : (
          <div className="table-scroll">
            <table className="stack-on-phone">
              <thead>
                <tr>
                  <th scope="col">{HISTORY_COLUMNS.file}</th>
                  <th scope="col">{HISTORY_COLUMNS.size}</th>
                  <th scope="col">{HISTORY_COLUMNS.status}</th>
                  <th scope="col" className="num">
                    {HISTORY_COLUMNS.created}
                  </th>
                  <th scope="col" className="num">
                    {HISTORY_COLUMNS.updated}
                  </th>
                  <th scope="col" className="num">
                    {HISTORY_COLUMNS.rejected}
                  </th>
                  <th scope="col">{HISTORY_COLUMNS.started}</th>
                  <th scope="col">{HISTORY_COLUMNS.duration}</th>
                </tr>
              </thead>
              <tbody>
                {history.items.map((item) => (
                  <tr key={item.id}>
                    <td className="wide" data-label={HISTORY_COLUMNS.file}>
                      <Link to={`/imports/${item.id}`}>{item.filename}</Link>
                    </td>
                    <td data-label={HISTORY_COLUMNS.size}>{formatBytes(item.sizeBytes)}</td>
                    <td data-label={HISTORY_COLUMNS.status}>
                      <StatusBadge status={item.status} />
                    </td>
                    <td className="num" data-label={HISTORY_COLUMNS.created}>
                      {formatCount(item.createdCount)}
                    </td>
                    <td className="num" data-label={HISTORY_COLUMNS.updated}>
                      {formatCount(item.updatedCount)}
                    </td>
                    <td className="num" data-label={HISTORY_COLUMNS.rejected}>
                      {formatCount(item.errorCount)}
                    </td>
                    <td data-label={HISTORY_COLUMNS.started}>{formatDateTime(item.startedAt ?? item.createdAt)}</td>
                    <td data-label={HISTORY_COLUMNS.duration}>{durationBetween(item.createdAt, item.finishedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pagination total={history.total} page={history.page} pageSize={PAGE_SIZE} />
      </section>
      {mappings.length ? <SavedMappings mappings={mappings} /> : null}
    </>
  );
}

/** Column mappings confirmed on earlier uploads: a file with the same header is read the same way. */
function SavedMappings({
  mappings,
}: {
  mappings: { id: string; header: string[]; mapping: Record<string, string>; profile: string | null; lastUsedAt: string }[];
}) {
  return (
    <section className="panel" aria-labelledby="mappings-heading">
      <h2 id="mappings-heading">Saved column mappings</h2>
      <p className="hint">Offered again for a file with the same header. Delete one to have its files matched afresh.</p>
      <ul className="mapping-list">
        {mappings.map((saved) => (
          <li key={saved.id}>
            <div>
              <p className="mapping-fields">
                {Object.entries(saved.mapping)
                  .map(([field, column]) => `${field} ← "${column}"`)
                  .join(", ")}
              </p>
              <p className="hint">
                Header: {saved.header.slice(0, 6).join(", ")}
                {saved.header.length > 6 ? ` and ${saved.header.length - 6} more` : ""} · last used {formatDateTime(saved.lastUsedAt)}
              </p>
            </div>
            <Form method="post" action={`/imports/mappings/${saved.id}/delete`}>
              <button type="submit" className="button" aria-label={`Delete the mapping for ${saved.header.slice(0, 3).join(", ")}`}>
                Delete
              </button>
            </Form>
          </li>
        ))}
      </ul>
    </section>
  );
}
