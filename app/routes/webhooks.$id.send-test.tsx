// Not "webhooks.$id.test.tsx": remix.config.js ignores route files named like tests.
import type { ActionFunctionArgs } from "@remix-run/node";
import { redirectWithToast } from "~/lib/toast.server";

/**
 * The Test button: the answer (status and latency, or the error) is shown beside it. Without
 * JavaScript the same outcome comes back as a toast on the webhooks page.
 */
export async function action({ params, request, context }: ActionFunctionArgs) {
  const result = await context.trpc.webhooks.test({ id: params.id ?? "" });
  if (request.headers.get("accept")?.includes("text/html")) {
    const message = result.ok ? `Test answered ${result.statusCode} in ${result.latencyMs} ms.` : `Test failed: ${result.error ?? result.statusCode}`;
    return redirectWithToast("/webhooks", { message, tone: result.ok ? "success" : "error" });
  }
  return result;
}
