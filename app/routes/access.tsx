import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { FieldError, FormError, invalidProps } from "~/components/field-errors";
import { refusalMessage } from "~/lib/action-result";
import { formatDateTime } from "~/lib/format";
import { formRefusal } from "~/lib/form-refusal";
import { redirectWithToast } from "~/lib/toast.server";

export const meta: MetaFunction = () => [{ title: "Access · Product Importer" }];

export async function loader({ context }: LoaderFunctionArgs) {
  return { tokens: await context.trpc.apiTokens.list({}), passwordRequired: context.access.enabled };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  if (form.get("intent") === "revoke") {
    try {
      await context.trpc.apiTokens.revoke({ id: String(form.get("id") ?? "") });
      return redirectWithToast("/access", { message: `Revoked “${String(form.get("name") ?? "")}”: it is refused from now on.`, tone: "success" });
    } catch (error) {
      return redirectWithToast("/access", { message: refusalMessage(error), tone: "error" });
    }
  }
  try {
    const created = await context.trpc.apiTokens.create({ name: String(form.get("name") ?? ""), scope: String(form.get("scope") ?? "") as "read" });
    return { created };
  } catch (error) {
    return { refused: formRefusal(error, form) };
  }
}

/** API tokens: one per script or service, shown once, stored only as a hash, revocable alone. */
export default function AccessPage() {
  const { tokens, passwordRequired } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const refused = answer && "refused" in answer ? answer.refused : undefined;
  const created = answer && "created" in answer ? answer.created : undefined;
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <div className="page-head">
        <h1>Access</h1>
      </div>
      <p className="hint">
        Give each script or service its own API token, sent as <code>Authorization: Bearer pit_…</code> on any <code>/api</code> route. A read token
        may call queries, exports and progress streams; a write token may also change things and upload.{" "}
        {passwordRequired
          ? "People keep signing in with the password."
          : "No APP_PASSWORD is set, so the API is open to anyone who can reach it; tokens still keep their scope."}
      </p>
      {created ? <NewToken token={created.token} name={created.name} /> : null}
      <section className="panel">
        <h2>New token</h2>
        <Form method="post" className="token-form" key={created?.id ?? "new"}>
          <FormError errors={refused?.errors} />
          <label>
            Name
            <input
              name="name"
              required
              maxLength={100}
              defaultValue={refused?.values.name}
              placeholder="ERP nightly sync"
              {...invalidProps(refused?.errors, "name")}
            />
          </label>
          <FieldError errors={refused?.errors} field="name" />
          <fieldset>
            <legend>Scope</legend>
            <label>
              <input type="radio" name="scope" value="read" defaultChecked={(refused?.values.scope ?? "read") === "read"} /> Read
            </label>
            <label>
              <input type="radio" name="scope" value="write" defaultChecked={refused?.values.scope === "write"} /> Read and write
            </label>
          </fieldset>
          <FieldError errors={refused?.errors} field="scope" />
          <button type="submit" className="button primary" disabled={busy}>
            Create token
          </button>
        </Form>
      </section>
      <section className="panel">
        <h2>Tokens</h2>
        {tokens.length === 0 ? (
          <p className="empty">No tokens yet.</p>
        ) : (
          <ul className="token-list">
            {tokens.map((token) => (
              <li key={token.id}>
                <div>
                  <strong>{token.name}</strong> <span className="badge">{token.scope}</span>
                  <p className="hint">
                    Created {formatDateTime(token.createdAt)} · {token.lastUsedAt ? `last used ${formatDateTime(token.lastUsedAt)}` : "never used"}
                  </p>
                </div>
                <Form method="post">
                  <input type="hidden" name="intent" value="revoke" />
                  <input type="hidden" name="id" value={token.id} />
                  <input type="hidden" name="name" value={token.name} />
                  <button type="submit" className="button danger" aria-label={`Revoke ${token.name}`}>
                    Revoke
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

/** The secret, once: it is not stored, so it cannot be shown again. */
function NewToken({ token, name }: { token: string; name: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <section className="panel new-token" role="status">
      <h2>“{name}” is ready</h2>
      <p>Copy it now: it is shown only this once.</p>
      <code className="token-secret">{token}</code>{" "}
      <button type="button" className="button" onClick={() => navigator.clipboard?.writeText(token).then(() => setCopied(true))}>
        {copied ? "Copied" : "Copy"}
      </button>
    </section>
  );
}
