import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { RouteDialog } from "~/components/route-dialog";
import { WebhookForm } from "~/components/webhook-form";
import { pageData } from "~/lib/page-errors.server";
import { redirectWithToast } from "~/lib/toast.server";
import { maxInFlightOf, webhookFormRefusal, webhookFromForm } from "~/lib/webhook-form-data";
import type { EventType } from "../../server/webhooks/webhook.schema";

export async function loader({ params, context }: LoaderFunctionArgs) {
  return pageData(() => context.trpc.webhooks.get({ id: params.id ?? "" }));
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const { url, events, maxInFlight } = webhookFromForm(form);
  try {
    const webhook = await context.trpc.webhooks.update({
      id: params.id ?? "",
      url,
      events: events as EventType[],
      maxInFlight: maxInFlightOf(maxInFlight),
    });
    return redirectWithToast("/webhooks", { message: `Saved ${webhook.url}.`, tone: "success" });
  } catch (error) {
    return webhookFormRefusal(error, form);
  }
}

export default function EditWebhook() {
  const webhook = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  return (
    <RouteDialog title="Edit endpoint" backTo="/webhooks">
      <WebhookForm webhook={webhook} errors={refused?.errors} values={refused?.values} cancelHref="/webhooks" />
    </RouteDialog>
  );
}
