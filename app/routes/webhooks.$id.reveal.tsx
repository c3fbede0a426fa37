import { data, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { RouteDialog } from "~/components/route-dialog";
import { RevealedSecret, type RevealAnswer } from "~/components/webhook-secret";
import { refusalMessage } from "~/lib/action-result";
import { pageData } from "~/lib/page-errors.server";

/** An answer carrying a secret is for this request only: no cache keeps it. */
const NOT_STORED = { "Cache-Control": "no-store" };

export async function loader({ params, context }: LoaderFunctionArgs) {
  return pageData(() => context.trpc.webhooks.get({ id: params.id ?? "" }));
}

/**
 * The Reveal button's POST (webhooks.revealSecret): the Webhooks page shows the answer in the row;
 * before JavaScript the browser lands here and this dialog shows it.
 */
export async function action({ params, context }: ActionFunctionArgs) {
  let answer: RevealAnswer;
  try {
    answer = { secret: (await context.trpc.webhooks.revealSecret({ id: params.id ?? "" })).secret, error: null };
  } catch (error) {
    answer = { secret: null, error: refusalMessage(error) };
  }
  return data(answer, { headers: NOT_STORED });
}

// The root's headers carry the toast cookie; this route adds its own to them rather than replacing them.
export const headers: HeadersFunction = ({ parentHeaders, actionHeaders }) => {
  const merged = new Headers(parentHeaders);
  actionHeaders.forEach((value, key) => merged.set(key, value));
  return merged;
};

export default function RevealWebhookSecret() {
  const webhook = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  return (
    <RouteDialog title="Signing secret" backTo="/webhooks">
      <p>
        Receivers of <strong className="filename">{webhook.url}</strong> verify its messages with this secret. Anyone who has it can sign messages as
        this app: keep it out of tickets and chats.
      </p>
      <p className="secret">{answer?.secret ? <RevealedSecret secret={answer.secret} takeFocus /> : <code>{webhook.secretHint}</code>}</p>
      {answer?.error ? (
        <p className="error" role="alert">
          {answer.error}
        </p>
      ) : null}
      <Form method="post" className="dialog-actions" replace>
        <Link to="/webhooks" className="button" replace>
          Close
        </Link>
        {answer?.secret ? null : (
          <button type="submit" className="button primary">
            Reveal
          </button>
        )}
      </Form>
    </RouteDialog>
  );
}
