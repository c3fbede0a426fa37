import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Pagination, pageFromUrl } from "~/components/pagination";
import { refusalMessage } from "~/lib/action-result";
import { redirectWithToast } from "~/lib/toast.server";
import { pageData } from "~/lib/page-errors.server";
import { isId } from "../../server/ids.schema";
import { formatCount, formatDateTime } from "~/lib/format";

export const meta: MetaFunction = () => [{ title: "Deliveries · Webhooks · Product Importer" }];

const PAGE_SIZE = 50;

/** The delivery log's column headings; on a phone each attempt is a card that repeats them beside its values. */
const DELIVERY_COLUMNS = {
  event: "Event",
  time: "Time",
  attempt: "Attempt",
  status: "Status",
  latency: "Latency",
  answer: "Error / response",
} as const;

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const id = params.id ?? "";
  if (!isId(id)) throw new Response(`There is no webhook ${id}.`, { status: 404, statusText: "Not Found" });
  const page = pageFromUrl(request.url);
  const [webhook, deliveries] = await pageData(() =>
    Promise.all([context.trpc.webhooks.get({ id }), context.trpc.webhooks.deliveries({ id, page, pageSize: PAGE_SIZE })]),
  );
  return { webhook, deliveries };
}

/** "Resend what failed since": how far back, in hours (the deliveries page offers these). */
const RECOVER_PERIODS = [
  { hours: 1, label: "the last hour" },
  { hours: 6, label: "the last 6 hours" },
  { hours: 24, label: "the last 24 hours" },
  { hours: 72, label: "the last 3 days" },
  { hours: 168, label: "the last 7 days" },
];

export async function action({ params, request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const back = `/webhooks/${params.id}`;
  try {
    if (form.get("intent") === "recover") {
      const hours = Number(form.get("hours"));
      const { queued } = await context.trpc.webhooks.recover({ id: params.id ?? "", since: new Date(Date.now() - hours * 3_600_000).toISOString() });
      const message =
        queued === 0
          ? "Nothing to resend: every event since then was delivered."
          : `Resending ${queued === 1 ? "1 event" : `${formatCount(queued)} events, oldest first`}.`;
      return redirectWithToast(back, { message, tone: "success" });
    }
    const { queued, test } = await context.trpc.webhooks.resend({ deliveryId: String(form.get("deliveryId") ?? "") });
    if (queued) return redirectWithToast(back, { message: "Sending it again now.", tone: "success" });
    const message = test?.ok ? `Test answered ${test.statusCode} in ${test.latencyMs} ms.` : `Test failed: ${test?.error}`;
    return redirectWithToast(back, { message, tone: test?.ok ? "success" : "error" });
  } catch (error) {
    return redirectWithToast(back, { message: refusalMessage(error), tone: "error" });
  }
}

export default function DeliveriesPage() {
  const { webhook, deliveries } = useLoaderData<typeof loader>();
  return (
    <>
      <p className="crumbs">
        <Link to="/webhooks">Webhooks</Link> / deliveries
      </p>
      <div className="page-head">
        <h1 className="filename">{webhook.url}</h1>
      </div>
      <Form method="post" className="panel recover-form">
        <input type="hidden" name="intent" value="recover" />
        <label>
          Resend everything that failed, or was recorded while this endpoint was off, in{" "}
          <select name="hours" defaultValue="24">
            {RECOVER_PERIODS.map((period) => (
              <option key={period.hours} value={period.hours}>
                {period.label}
              </option>
            ))}
          </select>
        </label>{" "}
        <button type="submit" className="button" disabled={!webhook.enabled}>
          Resend
        </button>
        {webhook.enabled ? null : <p className="hint">Switch the endpoint on first.</p>}
      </Form>
      <section className="panel">
        {deliveries.items.length === 0 ? (
          <p className="empty">Nothing has been sent to this endpoint yet. Press Test on the webhooks page to send a test event.</p>
        ) : (
          <div className="table-scroll">
            <table className="stack-on-phone">
              <caption className="visually-hidden">Delivery attempts, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">{DELIVERY_COLUMNS.event}</th>
                  <th scope="col">{DELIVERY_COLUMNS.time}</th>
                  <th scope="col">{DELIVERY_COLUMNS.attempt}</th>
                  <th scope="col">{DELIVERY_COLUMNS.status}</th>
                  <th scope="col">{DELIVERY_COLUMNS.latency}</th>
                  <th scope="col">{DELIVERY_COLUMNS.answer}</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {deliveries.items.map((delivery) => (
                  <tr key={delivery.id}>
                    <td className="wide" data-label={DELIVERY_COLUMNS.event}>
                      <code>{delivery.eventType}</code>
                      <div className="hint">{delivery.eventId}</div>
                    </td>
                    <td data-label={DELIVERY_COLUMNS.time}>{formatDateTime(delivery.createdAt)}</td>
                    <td data-label={DELIVERY_COLUMNS.attempt}>{delivery.attempt}</td>
                    <td data-label={DELIVERY_COLUMNS.status}>
                      <span className={`badge ${delivery.statusCode !== null && delivery.statusCode < 300 ? "badge-completed" : "badge-failed"}`}>
                        {delivery.statusCode ?? "—"}
                      </span>
                    </td>
                    <td data-label={DELIVERY_COLUMNS.latency}>{delivery.latencyMs !== null ? `${delivery.latencyMs} ms` : "—"}</td>
                    <td className="full-text wide" data-label={DELIVERY_COLUMNS.answer}>
                      {delivery.error ? <span className="error">{delivery.error}</span> : null}
                      {delivery.responseBody ? <pre className="response-body">{delivery.responseBody}</pre> : null}
                      {delivery.requestHeaders ? (
                        <details className="headers">
                          <summary>Headers</summary>
                          <HeaderList title="Sent" headers={delivery.requestHeaders} />
                          {delivery.responseHeaders ? <HeaderList title="Received" headers={delivery.responseHeaders} /> : null}
                        </details>
                      ) : null}
                    </td>
                    <td className="wide">
                      <Form method="post">
                        <input type="hidden" name="deliveryId" value={delivery.id} />
                        <button type="submit" className="button">
                          Resend
                        </button>
                      </Form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pagination total={deliveries.total} page={deliveries.page} pageSize={PAGE_SIZE} />
      </section>
    </>
  );
}

function HeaderList({ title, headers }: { title: string; headers: Record<string, string> }) {
  return (
    <>
      <p className="hint">{title}</p>
      <dl className="header-list">
        {Object.entries(headers).map(([name, value]) => (
          <div key={name}>
            <dt>{name}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </>
  );
}
