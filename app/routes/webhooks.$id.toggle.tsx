import type { ActionFunctionArgs } from "@remix-run/node";
import { refusalMessage } from "~/lib/action-result";
import { redirectWithToast } from "~/lib/toast.server";

/** An endpoint's on/off switch, in place. */
export async function action({ params, request, context }: ActionFunctionArgs) {
  const enabled = (await request.formData()).get("enabled") === "true";
  try {
    const webhook = await context.trpc.webhooks.update({ id: params.id ?? "", enabled });
    return redirectWithToast(
      "/webhooks",
      { message: `${webhook.url} is now ${webhook.enabled ? "on" : "off"}.`, tone: "success" },
      { replace: true },
    );
  } catch (error) {
    return redirectWithToast("/webhooks", { message: refusalMessage(error), tone: "error" }, { replace: true });
  }
}
