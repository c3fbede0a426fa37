import type { ActionFunctionArgs } from "@remix-run/node";
import { refusalMessage } from "~/lib/action-result";
import { redirectWithToast } from "~/lib/toast.server";

export async function action({ params, context }: ActionFunctionArgs) {
  try {
    await context.trpc.webhooks.rotateSecret({ id: params.id ?? "" });
    return redirectWithToast("/webhooks", { message: "A new signing secret is in use; update your receiver.", tone: "success" });
  } catch (error) {
    return redirectWithToast("/webhooks", { message: refusalMessage(error), tone: "error" });
  }
}
