import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { FeedForm } from "~/components/feed-form";
import { feedFormRefusal, feedFromForm, formValues } from "~/lib/feed-form-data";
import { pageData } from "~/lib/page-errors.server";
import { redirectWithToast } from "~/lib/toast.server";

export const meta: MetaFunction = () => [{ title: "Edit a feed · Product Importer" }];

export async function loader({ params, context }: LoaderFunctionArgs) {
  return pageData(() => context.trpc.feeds.get({ id: params.id ?? "" }));
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const read = feedFromForm(form, true);
  if ("refused" in read) return { errors: read.refused, values: formValues(form) };
  try {
    const feed = await context.trpc.feeds.update({ id: params.id ?? "", ...read.input } as Parameters<typeof context.trpc.feeds.update>[0]);
    return redirectWithToast(`/feeds/${feed.id}`, { message: `Saved the feed "${feed.name}".`, tone: "success" });
  } catch (error) {
    return feedFormRefusal(error, form);
  }
}

export default function EditFeed() {
  const feed = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  return (
    <>
      <p className="crumbs">
        <Link to="/feeds">Feeds</Link> / <Link to={`/feeds/${feed.id}`}>{feed.name}</Link> / edit
      </p>
      <div className="page-head">
        <h1>Edit {feed.name}</h1>
      </div>
      <section className="panel">
        <FeedForm feed={feed} errors={refused?.errors} values={refused?.values} cancelHref={`/feeds/${feed.id}`} />
      </section>
    </>
  );
}
