import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData } from "@remix-run/react";
import { FeedForm } from "~/components/feed-form";
import { feedFormRefusal, feedFromForm, formValues } from "~/lib/feed-form-data";
import { redirectWithToast } from "~/lib/toast.server";

export const meta: MetaFunction = () => [{ title: "Add a feed · Product Importer" }];

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const read = feedFromForm(form, false);
  if ("refused" in read) return { errors: read.refused, values: formValues(form) };
  try {
    const feed = await context.trpc.feeds.create(read.input as Parameters<typeof context.trpc.feeds.create>[0]);
    return redirectWithToast(`/feeds/${feed.id}`, { message: `Added the feed "${feed.name}".`, tone: "success" });
  } catch (error) {
    return feedFormRefusal(error, form);
  }
}

export default function NewFeed() {
  const refused = useActionData<typeof action>();
  return (
    <>
      <p className="crumbs">
        <Link to="/feeds">Feeds</Link> / new
      </p>
      <div className="page-head">
        <h1>Add a feed</h1>
      </div>
      <section className="panel">
        <FeedForm errors={refused?.errors} values={refused?.values} cancelHref="/feeds" />
      </section>
    </>
  );
}
