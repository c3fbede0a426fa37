import { json, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { FieldError, invalidProps } from "~/components/field-errors";
import { safeNextPath } from "~/lib/safe-next";

export const meta: MetaFunction = () => [{ title: "Log in · Product Importer" }];

// The lock-out's Retry-After reaches the browser (and a script) with the page.
export const headers: HeadersFunction = ({ actionHeaders }) => actionHeaders;

const nextPath = (request: Request) => safeNextPath(new URL(request.url).searchParams.get("next"));

export async function loader({ request, context }: LoaderFunctionArgs) {
  if (!context.access.enabled || (await context.access.hasSession())) throw redirect(nextPath(request));
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  if (!context.access.enabled) throw redirect(nextPath(request));
  const password = String((await request.formData()).get("password") ?? "");
  if (!password) return json({ errors: { password: "Enter the password." } }, { status: 400 });
  const result = await context.access.logIn(password);
  if (!result.ok) {
    const { refusal } = result;
    const headers = refusal.retryAfterSeconds ? { "Retry-After": String(refusal.retryAfterSeconds) } : undefined;
    return json({ errors: { password: refusal.message } }, { status: refusal.status, headers });
  }
  throw redirect(nextPath(request), { headers: { "Set-Cookie": result.setCookie } });
}

export default function Login() {
  const errors = useActionData<typeof action>()?.errors;
  const busy = useNavigation().state !== "idle";
  return (
    <section className="panel login">
      <h1>Log in</h1>
      <p className="hint">This Product Importer is protected by a password. Ask whoever runs it if you do not have it.</p>
      <Form method="post" className="product-form" replace>
        <label>
          Password
          {/* Focus belongs here: logging in is the only thing this page is for. */}
          <input type="password" name="password" required autoFocus autoComplete="current-password" {...invalidProps(errors, "password")} />
        </label>
        <FieldError errors={errors} field="password" />
        <div className="dialog-actions">
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? "Checking…" : "Log in"}
          </button>
        </div>
      </Form>
    </section>
  );
}
