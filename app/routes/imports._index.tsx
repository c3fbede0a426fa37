import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { UploadPanel } from "~/components/upload-panel";
import { StatusBadge } from "~/components/status-badge";
import { durationBetween, formatBytes, formatCount, formatDateTime } from "~/lib/format";
import { Pagination, pageFromUrl } from "~/components/pagination";
import { pageData } from "~/lib/page-errors.server";

export const meta: MetaFunction = () => [{ title: "Imports · Product Importer" }];

const PAGE_SIZE = 25;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const page = pageFromUrl(request.url);
  const history = await pageData(() => context.trpc.imports.list({ page, pageSize: PAGE_SIZE }));
  return { history, maxUploadBytes: context.settings.maxUploadBytes };
}

export default function ImportsPage() {
  const { history, maxUploadBytes } = useLoaderData<typeof loader>();
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
            <table>
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
                {history.items.map((item) => (
                  <tr key={item.id}>
                    <td>
                      <Link to={`/imports/${item.id}`}>{item.filename}</Link>
                    </td>
                    <td>{formatBytes(item.sizeBytes)}</td>
                    <td>
                      <StatusBadge status={item.status} />
                    </td>
                    <td className="num">{formatCount(item.createdCount)}</td>
                    <td className="num">{formatCount(item.updatedCount)}</td>
                    <td className="num">{formatCount(item.errorCount)}</td>
                    <td>{formatDateTime(item.startedAt ?? item.createdAt)}</td>
                    <td>{durationBetween(item.createdAt, item.finishedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pagination total={history.total} page={history.page} pageSize={PAGE_SIZE} />
      </section>
    </>
  );
}
