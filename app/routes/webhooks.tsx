import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, Outlet, useFetcher, useLoaderData } from "@remix-run/react";
import { RevealedSecret, type RevealAnswer } from "~/components/webhook-secret";
import { formatDateTime } from "~/lib/format";
import { secretHint } from "../../server/webhooks/secret-hint";
import type { WebhookJson } from "../../server/webhooks/webhook-json";

export const meta: MetaFunction = () => [{ title: "Webhooks · Product Importer" }];

/** The endpoints; adding, editing and deleting one are dialogs (child routes), its switches in-place actions. */
export async function loader({ context }: LoaderFunctionArgs) {
  const [webhooks, { retryWindow }] = await Promise.all([context.trpc.webhooks.list({}), context.trpc.webhooks.alerts({})]);
  return { webhooks, retryWindow };
}

export default function WebhooksPage() {
  const { webhooks, retryWindow } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-head">
        <h1>Webhooks</h1>
        <div className="head-actions">
          <Link className="button" to="/webhooks/events">
            Event types
          </Link>
          <Link className="button primary" to="/webhooks/new" preventScrollReset>
            Add endpoint
          </Link>
        </div>
      </div>
      <p className="hint">
        Each endpoint receives a signed JSON POST (Standard Webhooks) for the events it subscribes to. {retriedFor(retryWindow)}; you are told here
        and at the top of every page once one has failed for an hour.
      </p>
      <section className="panel">
        {webhooks.length === 0 ? (
          <p className="empty">No endpoints yet. Add one to tell other systems when products or imports change.</p>
        ) : (
          <ul className="webhook-list">
            {webhooks.map((webhook) => (
              <WebhookRow key={webhook.id} webhook={webhook} />
            ))}
          </ul>
        )}
      </section>
      <Outlet />
    </>
  );
}

/**
 * A duration and its words in one string: set apart in JSX (`{retryWindow}{" "}`), the space became a
 * text node of its own, which readers that skip blank text nodes ran into the next word ("72 hbefore").
 */
const retriedFor = (retryWindow: string) => `Failed deliveries are retried for ${retryWindow} before an endpoint is switched off`;

/** "202 · 31 ms · 6 Dec 2026, 10:15 UTC", or that nothing was delivered yet. */
function lastDelivery(webhook: WebhookJson): string {
  if (!webhook.lastDeliveryAt) return "none yet";
  const outcome = webhook.lastStatusCode ?? webhook.lastError ?? "no answer";
  const latency = webhook.lastLatencyMs !== null ? ` · ${webhook.lastLatencyMs} ms` : "";
  return `${outcome}${latency} · ${formatDateTime(webhook.lastDeliveryAt)}`;
}

function WebhookRow({ webhook }: { webhook: WebhookJson }) {
  const toggle = useFetcher();
  const test = useFetcher<{ ok: boolean; statusCode: number | null; latencyMs: number; error: string | null }>();
  const enabled = toggle.formData ? toggle.formData.get("enabled") === "true" : webhook.enabled;
  const outcome = test.state === "idle" ? test.data : undefined;
  return (
    <li className="webhook">
      <div className="webhook-main">
        <p className="filename">{webhook.url}</p>
        <p className="hint">{webhook.events.join(", ")}</p>
        {webhook.alert?.kind === "failing" ? (
          <p className="error" role="status">
            Deliveries have been failing since {formatDateTime(webhook.alert.since)}. They are retried; look at the deliveries to see why.
          </p>
        ) : null}
        {webhook.disabledReason ? (
          <p className="error" role="status">
            {webhook.disabledReason}
          </p>
        ) : null}
        <p className="hint">{`Last delivery: ${lastDelivery(webhook)}`}</p>
        <SigningSecret webhook={webhook} />
      </div>
      <div className="row-actions">
        <toggle.Form method="post" action={`/webhooks/${webhook.id}/toggle`}>
          <input type="hidden" name="enabled" value={String(!enabled)} />
          <button
            type="submit"
            className={`switch${enabled ? " on" : ""}`}
            role="switch"
            aria-checked={enabled}
            aria-busy={toggle.state !== "idle"}
            aria-label={`Send events to ${webhook.url}`}
          >
            {enabled ? "On" : "Off"}
          </button>
        </toggle.Form>
        <test.Form method="post" action={`/webhooks/${webhook.id}/send-test`}>
          <button type="submit" className="button" disabled={test.state !== "idle"}>
            {test.state !== "idle" ? "Testing…" : "Test"}
          </button>
        </test.Form>
        <span className="test-result" role="status" aria-live="polite">
          {outcome
            ? outcome.ok
              ? `✓ ${outcome.statusCode} · ${outcome.latencyMs} ms`
              : `✗ ${outcome.error ?? outcome.statusCode} · ${outcome.latencyMs} ms`
            : ""}
        </span>
        <Link to={`/webhooks/${webhook.id}`}>Deliveries</Link>
        <Link to={`/webhooks/${webhook.id}/edit`} preventScrollReset>
          Edit
        </Link>
        <Link to={`/webhooks/${webhook.id}/delete`} className="danger-link" preventScrollReset>
          Delete
        </Link>
      </div>
    </li>
  );
}

/**
 * The secret's hint; the secret itself only when asked for (Reveal posts to webhooks.revealSecret:
 * inline here, or before JavaScript on the Reveal route's dialog), copyable, rotatable.
 */
function SigningSecret({ webhook }: { webhook: WebhookJson }) {
  const reveal = useFetcher<RevealAnswer>();
  const answer = reveal.state === "idle" ? reveal.data : undefined;
  // Rotated since it was revealed (in another tab, through the API): not this endpoint's secret any more.
  const revealed = answer?.secret && secretHint(answer.secret) === webhook.secretHint ? answer.secret : null;
  return (
    <details className="secret">
      <summary>
        Signing secret <code>{webhook.secretHint}</code>
      </summary>
      {revealed ? (
        <RevealedSecret secret={revealed} takeFocus />
      ) : (
        <reveal.Form method="post" action={`/webhooks/${webhook.id}/reveal`} className="inline-form">
          <button type="submit" className="button" aria-busy={reveal.state !== "idle"} aria-label={`Reveal the signing secret of ${webhook.url}`}>
            Reveal
          </button>
        </reveal.Form>
      )}
      {answer?.error ? (
        <p className="error" role="alert">
          {answer.error}
        </p>
      ) : null}
      {webhook.previousSecretExpiresAt ? (
        <p className="hint">The secret before the last rotation also signs until {formatDateTime(webhook.previousSecretExpiresAt)}.</p>
      ) : null}
      <form method="post" action={`/webhooks/${webhook.id}/rotate`} className="inline-form">
        <label>
          {"Old secret keeps signing for "}
          <select name="overlapHours" defaultValue="24">
            <option value="0">no time (stop at once)</option>
            <option value="1">1 hour</option>
            <option value="24">24 hours</option>
            <option value="72">3 days</option>
            <option value="168">7 days</option>
          </select>
        </label>{" "}
        <button type="submit" className="button">
          Rotate secret
        </button>
      </form>
    </details>
  );
}
