import type { ActionFunctionArgs } from "@remix-run/node";
import { useActionData } from "@remix-run/react";
import { RouteDialog } from "~/components/route-dialog";
import { WebhookForm } from "~/components/webhook-form";
import { redirectWithToast } from "~/lib/toast.server";
import { maxInFlightOf, webhookFormRefusal, webhookFromForm } from "~/lib/webhook-form-data";
import type { EventType } from "../../server/webhooks/webhook.schema";

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const { url, events, maxInFlight } = webhookFromForm(form);
  try {
    const webhook = await context.trpc.webhooks.create({ url, events: events as EventType[], maxInFlight: maxInFlightOf(maxInFlight) });
    return redirectWithToast("/webhooks", { message: `Added ${webhook.url}.`, tone: "success" });
  } catch (error) {
    return webhookFormRefusal(error, form);
  }
}

export default function NewWebhook() {
  const refused = useActionData<typeof action>();
  return (
    <RouteDialog title="Add endpoint" backTo="/webhooks">
      <WebhookForm errors={refused?.errors} values={refused?.values} cancelHref="/webhooks" />
    </RouteDialog>
  );
}
