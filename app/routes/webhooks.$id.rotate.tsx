import type { ActionFunctionArgs } from "@remix-run/node";
import { refusalMessage } from "~/lib/action-result";
import { formatDateTime } from "~/lib/format";
import { redirectWithToast } from "~/lib/toast.server";

export async function action({ params, request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const overlap = form.get("overlapHours");
  try {
    const webhook = await context.trpc.webhooks.rotateSecret({ id: params.id ?? "", overlapHours: overlap === null ? undefined : Number(overlap) });
    const message = webhook.previousSecretExpiresAt
      ? `A new signing secret is in use. The old one also signs until ${formatDateTime(webhook.previousSecretExpiresAt)}: update your receiver before then.`
      : "A new signing secret is in use; the old one no longer signs. Update your receiver.";
    return redirectWithToast("/webhooks", { message, tone: "success" });
  } catch (error) {
    return redirectWithToast("/webhooks", { message: refusalMessage(error), tone: "error" });
  }
}
