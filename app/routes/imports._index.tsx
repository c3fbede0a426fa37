import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { UploadPanel } from "~/components/upload-panel";
import { StatusBadge } from "~/components/status-badge";
import { formatBytes, formatCount, formatDateTime } from "~/lib/format";
import { describeImportTiming, importWorkDuration } from "~/lib/import-timing";
import { Pagination, pageFromUrl } from "~/components/pagination";
import { pageData } from "~/lib/page-errors.server";
import { changedCount, describeMapping, exportName, type ImportJson } from "~/lib/import-status";

export const meta: MetaFunction = () => [{ title: "Imports · Product Importer" }];

const PAGE_SIZE = 25;

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
          <ImportHistory items={history.items} />
        )}
        <Pagination total={history.total} page={history.page} pageSize={PAGE_SIZE} />
      </section>
      {mappings.length ? <SavedMappings mappings={mappings} /> : null}
    </>
  );
}

/** "20 created · 1 updated · 0 rejected · 83 ms": a phone card's one line for the table's counts and duration. */
function outcomeSummary(item: ImportJson): string {
  const counts = [
    `${formatCount(item.createdCount)} created`,
    `${formatCount(changedCount(item))} updated`,
    `${formatCount(item.errorCount)} rejected`,
  ];
  // The import's own time (reading and applying), once it has finished.
  return (item.finishedAt ? [...counts, importWorkDuration(item)] : counts).join(" · ");
}

/** The characters a file name keeps at its end when a phone shortens it: its date or number, and its extension. */
const FILE_NAME_TAIL = 12;

/**
 * A file name in two pieces, so that a phone (app.css) can shorten it in the middle to one line,
 * "warehouse-rotterdam-st…2025-03-14.csv": the end of a name is what tells a supplier's files apart.
 */
function FileName({ name }: { name: string }) {
  const cut = Math.max(0, name.length - FILE_NAME_TAIL);
  return (
    <>
      <span className="file-head">{name.slice(0, cut)}</span>
      <span className="file-tail">{name.slice(cut)}</span>
    </>
  );
}

/**
 * A table on a laptop; on a phone each import is a compact card (file and status; the outcome in one
 * line), laid out by app.css from the same cells, so there is one list to read and to test.
 */
function ImportHistory({ items }: { items: ImportJson[] }) {
  return (
    <div className="table-scroll">
      <table className="import-history stack-on-phone">
        <thead>
          <tr>
            <th scope="col">File</th>
            <th scope="col">Size</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">
              Created
            </th>
            <th scope="col" className="num">
              Updated
            </th>
            <th scope="col" className="num">
              Rejected
            </th>
            <th scope="col">Started</th>
            <th scope="col">Duration</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.id}>
              <td className="file">
                <Link to={`/imports/${item.id}`} aria-label={item.filename}>
                  <FileName name={item.filename} />
                </Link>
              </td>
              <td className="size">{formatBytes(item.sizeBytes)}</td>
              <td className="status">
                <StatusBadge status={item.status} />
              </td>
              <td className="num count">{formatCount(item.createdCount)}</td>
              <td className="num count">{formatCount(changedCount(item))}</td>
              <td className="num count">{formatCount(item.errorCount)}</td>
              <td className="started">{formatDateTime(item.startedAt ?? item.createdAt)}</td>
              <td className="duration" title={describeImportTiming(item) ?? undefined}>
                {importWorkDuration(item)}
              </td>
              <td className="outcome">{outcomeSummary(item)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The platform a saved mapping was made for, in words ("Shopify export"); none: the columns were a file's own. */
const platformLabel = (profile: string | null): string => (profile ? exportName(profile) : "Your own columns");

/** "Handle, Title, Body (HTML), Vendor, Type, Tags and 47 more": enough of a header to recognise it. */
const headerSample = (header: string[]) => `${header.slice(0, 6).join(", ")}${header.length > 6 ? ` and ${header.length - 6} more` : ""}`;

/**
 * Column mappings confirmed on earlier uploads: a file with the same header is read the same way, and
 * so is a file of the same platform whose header has a column more or less.
 */
function SavedMappings({
  mappings,
}: {
  mappings: { id: string; header: string[]; mapping: Record<string, string>; profile: string | null; lastUsedAt: string }[];
}) {
  return (
    // Folded: they are looked up by themselves; the list is for the odd clean-up.
    <details className="panel saved-mappings">
      <summary>
        <h2 id="mappings-heading">Saved column mappings ({mappings.length})</h2>
      </summary>
      <p className="hint">
        Offered again for a file with the same header, another export of the same platform, or a file with a column more or less. Delete one to have
        its files matched afresh.
      </p>
      <ul className="mapping-list">
        {mappings.map((saved) => (
          <li key={saved.id}>
            <div>
              <p className="mapping-platform">{platformLabel(saved.profile)}</p>
              <p className="mapping-fields">{describeMapping(saved.mapping)}</p>
              <p className="hint">
                Last used {formatDateTime(saved.lastUsedAt)}
                <span className="mapping-header">{` · header: ${headerSample(saved.header)}`}</span>
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
    </details>
  );
}
