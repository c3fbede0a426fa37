import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useFetcher, useLoaderData, useNavigate } from "@remix-run/react";
import { useEffect, useState } from "react";
import { TRPCError } from "@trpc/server";
import { Modal } from "~/components/modal";
import { useToast } from "~/components/toasts";
import { WebhookForm } from "~/components/webhook-form";
import { fieldErrorsFrom } from "~/lib/field-errors";
import { formatDateTime } from "~/lib/format";
import type { WebhookJson } from "../../server/webhooks/webhook.schema";

export const meta: MetaFunction = () => [{ title: "Webhooks · Product Importer" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const webhooks = await context.trpc.webhooks.list({});
  const editId = url.searchParams.get("edit");
  const deleteId = url.searchParams.get("delete");
  return {
    webhooks,
    dialog: url.searchParams.has("new") ? ("new" as const) : editId ? ("edit" as const) : deleteId ? ("delete" as const) : null,
    target: webhooks.find((webhook) => webhook.id === (editId ?? deleteId)) ?? null,
    notice: url.searchParams.get("notice"),
    tone: url.searchParams.get("tone") === "error" ? ("error" as const) : ("success" as const),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const intent = form.get("intent");
  const id = String(form.get("id") ?? "");
  const notice = (message: string, tone: "success" | "error" = "success") =>
    redirect(`/webhooks?${new URLSearchParams({ notice: message, ...(tone === "error" ? { tone } : {}) })}`);
  const values = { url: String(form.get("url") ?? ""), events: form.getAll("events").map(String) };
  try {
    switch (intent) {
      case "create": {
        const webhook = await context.trpc.webhooks.create({ url: values.url, events: values.events as never });
        return notice(`Added ${webhook.url}.`);
      }
      case "update": {
        const webhook = await context.trpc.webhooks.update({ id, url: values.url, events: values.events as never });
        return notice(`Saved ${webhook.url}.`);
      }
      case "toggle": {
        const webhook = await context.trpc.webhooks.update({ id, enabled: form.get("enabled") === "true" });
        return { kind: "toggle" as const, ok: true, message: `${webhook.url} is now ${webhook.enabled ? "on" : "off"}.` };
      }
      case "test":
        return { kind: "test" as const, ...(await context.trpc.webhooks.test({ id })) };
      case "rotate": {
        await context.trpc.webhooks.rotateSecret({ id });
        return notice("A new signing secret is in use; update your receiver.");
      }
      case "delete": {
        await context.trpc.webhooks.delete({ id });
        return notice("Deleted the endpoint and its delivery log.");
      }
    }
    return notice("Unknown action.", "error");
  } catch (error) {
    const errors = fieldErrorsFrom(error);
    if (!errors) throw error;
    if (intent === "create" || intent === "update") return { kind: "form" as const, errors, values };
    return notice(error instanceof TRPCError ? error.message : "The change could not be made.", "error");
  }
}

export default function WebhooksPage() {
  const { webhooks, dialog, target, notice, tone } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigate = useNavigate();
  const toast = useToast();
  useEffect(() => {
    if (!notice) return;
    toast(notice, tone);
    navigate("/webhooks", { replace: true, preventScrollReset: true });
  }, [notice, tone, toast, navigate]);
  const formErrors = result && result.kind === "form" ? result : null;
  const close = () => navigate("/webhooks", { replace: true, preventScrollReset: true });

  return (
    <>
      <div className="page-head">
        <h1>Webhooks</h1>
        <div className="head-actions">
          <Link className="button primary" to="/webhooks?new=1" preventScrollReset>
            Add endpoint
          </Link>
        </div>
      </div>
      <p className="hint">
        Each endpoint receives a signed JSON POST (Standard Webhooks) for the events it subscribes to. Failed deliveries are retried for about a day.
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
      {dialog === "new" ? (
        <Modal title="Add endpoint" onClose={close}>
          <WebhookForm errors={formErrors?.errors} values={formErrors?.values} cancelHref="/webhooks" />
        </Modal>
      ) : null}
      {dialog === "edit" && target ? (
        <Modal title="Edit endpoint" onClose={close}>
          <WebhookForm webhook={target} errors={formErrors?.errors} values={formErrors?.values} cancelHref="/webhooks" />
        </Modal>
      ) : null}
      {dialog === "delete" && target ? (
        <Modal title="Delete this endpoint?" onClose={close}>
          <p>
            <strong className="filename">{target.url}</strong> will receive no more events, and its delivery log is deleted with it.
          </p>
          <form method="post" className="dialog-actions">
            <input type="hidden" name="intent" value="delete" />
            <input type="hidden" name="id" value={target.id} />
            <Link to="/webhooks" className="button" replace>
              Cancel
            </Link>
            <button type="submit" className="button danger">
              Delete endpoint
            </button>
          </form>
        </Modal>
      ) : null}
    </>
  );
}

function WebhookRow({ webhook }: { webhook: WebhookJson }) {
  const toggle = useFetcher<{ ok: boolean; message: string }>();
  const test = useFetcher<{ ok: boolean; statusCode: number | null; latencyMs: number; error: string | null }>();
  const toast = useToast();
  const enabled = toggle.formData ? toggle.formData.get("enabled") === "true" : webhook.enabled;
  useEffect(() => {
    if (toggle.state === "idle" && toggle.data) toast(toggle.data.message, toggle.data.ok ? "success" : "error");
  }, [toggle.state, toggle.data, toast]);
  const outcome = test.state === "idle" ? test.data : undefined;
  return (
    <li className="webhook">
      <div className="webhook-main">
        <p className="filename">{webhook.url}</p>
        <p className="hint">{webhook.events.join(", ")}</p>
        {webhook.disabledReason ? (
          <p className="error" role="status">
            {webhook.disabledReason}
          </p>
        ) : null}
        <p className="hint">
          Last delivery:{" "}
          {webhook.lastDeliveryAt
            ? `${webhook.lastStatusCode ?? webhook.lastError ?? "no answer"}${webhook.lastLatencyMs !== null ? ` · ${webhook.lastLatencyMs} ms` : ""} · ${formatDateTime(webhook.lastDeliveryAt)}`
            : "none yet"}
        </p>
        <SigningSecret webhook={webhook} />
      </div>
      <div className="row-actions">
        <toggle.Form method="post">
          <input type="hidden" name="intent" value="toggle" />
          <input type="hidden" name="id" value={webhook.id} />
          <input type="hidden" name="enabled" value={String(!enabled)} />
          <button type="submit" className={`switch${enabled ? " on" : ""}`} role="switch" aria-checked={enabled} aria-label={`Send events to ${webhook.url}`}>
            {enabled ? "On" : "Off"}
          </button>
        </toggle.Form>
        <test.Form method="post">
          <input type="hidden" name="intent" value="test" />
          <input type="hidden" name="id" value={webhook.id} />
          <button type="submit" className="button" disabled={test.state !== "idle"}>
            {test.state !== "idle" ? "Testing…" : "Test"}
          </button>
        </test.Form>
        <span className="test-result" role="status" aria-live="polite">
          {outcome ? (outcome.ok ? `✓ ${outcome.statusCode} · ${outcome.latencyMs} ms` : `✗ ${outcome.error ?? outcome.statusCode} · ${outcome.latencyMs} ms`) : ""}
        </span>
        <Link to={`/webhooks/${webhook.id}`}>Deliveries</Link>
        <Link to={`/webhooks?edit=${webhook.id}`} preventScrollReset>
          Edit
        </Link>
        <Link to={`/webhooks?delete=${webhook.id}`} className="danger-link" preventScrollReset>
          Delete
        </Link>
      </div>
    </li>
  );
}

/** Revealed on demand (a native disclosure, so it works before JavaScript), copyable, rotatable. */
function SigningSecret({ webhook }: { webhook: WebhookJson }) {
  const [copied, setCopied] = useState(false);
  return (
    <details className="secret">
      <summary>Signing secret</summary>
      <code>{webhook.secret}</code>{" "}
      <button
        type="button"
        className="button"
        onClick={() => navigator.clipboard?.writeText(webhook.secret).then(() => setCopied(true))}
      >
        {copied ? "Copied" : "Copy"}
      </button>
      <form method="post" className="inline-form">
        <input type="hidden" name="intent" value="rotate" />
        <input type="hidden" name="id" value={webhook.id} />
        <button type="submit" className="button">
          Rotate secret
        </button>
      </form>
    </details>
  );
}
