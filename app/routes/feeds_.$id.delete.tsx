import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { RouteDialog } from "~/components/route-dialog";
import { refusalMessage } from "~/lib/action-result";
import { pageData } from "~/lib/page-errors.server";
import { redirectWithToast } from "~/lib/toast.server";

export async function loader({ params, context }: LoaderFunctionArgs) {
  return pageData(() => context.trpc.feeds.get({ id: params.id ?? "" }));
}

export async function action({ params, context }: ActionFunctionArgs) {
  try {
    await context.trpc.feeds.delete({ id: params.id ?? "" });
    return redirectWithToast("/feeds", { message: "Deleted the feed and its run history; its imports stay.", tone: "success" });
  } catch (error) {
    return redirectWithToast(`/feeds/${params.id}`, { message: refusalMessage(error), tone: "error" });
  }
}

export default function DeleteFeed() {
  const feed = useLoaderData<typeof loader>();
  return (
    <RouteDialog title="Delete this feed?" backTo={`/feeds/${feed.id}`}>
      <p>
        <strong>{feed.name}</strong> stops running, and its run history is deleted with it. The imports it made stay, as they are.
      </p>
      <Form method="post" className="dialog-actions" replace>
        <Link to={`/feeds/${feed.id}`} className="button" replace>
          Cancel
        </Link>
        <button type="submit" className="button danger">
          Delete feed
        </button>
      </Form>
    </RouteDialog>
  );
}
