import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { RouteDialog } from "~/components/route-dialog";
import { refusalMessage } from "~/lib/action-result";
import { pageData } from "~/lib/page-errors.server";
import { redirectWithToast } from "~/lib/toast.server";

export async function loader({ params, context }: LoaderFunctionArgs) {
  return pageData(() => context.trpc.webhooks.get({ id: params.id ?? "" }));
}

export async function action({ params, context }: ActionFunctionArgs) {
  try {
    await context.trpc.webhooks.delete({ id: params.id ?? "" });
    return redirectWithToast("/webhooks", { message: "Deleted the endpoint and its delivery log.", tone: "success" });
  } catch (error) {
    return redirectWithToast("/webhooks", { message: refusalMessage(error), tone: "error" });
  }
}

export default function DeleteWebhook() {
  const webhook = useLoaderData<typeof loader>();
  return (
    <RouteDialog title="Delete this endpoint?" backTo="/webhooks">
      <p>
        <strong className="filename">{webhook.url}</strong> will receive no more events, and its delivery log is deleted with it.
      </p>
      <Form method="post" className="dialog-actions" replace>
        <Link to="/webhooks" className="button" replace>
          Cancel
        </Link>
        <button type="submit" className="button danger">
          Delete endpoint
        </button>
      </Form>
    </RouteDialog>
  );
}
