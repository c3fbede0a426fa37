import type { ActionFunctionArgs } from "@remix-run/node";
import { refusalMessage } from "~/lib/action-result";
import { redirectWithToast } from "~/lib/toast.server";

export async function action({ params, context }: ActionFunctionArgs) {
  try {
    await context.trpc.mappings.delete({ id: params.id ?? "" });
    return redirectWithToast("/imports", { message: "Forgot the mapping: files with that header are matched afresh.", tone: "success" });
  } catch (error) {
    return redirectWithToast("/imports", { message: refusalMessage(error), tone: "error" });
  }
}
