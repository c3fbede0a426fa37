import type { ActionFunctionArgs } from "@remix-run/node";
import { refusalMessage } from "~/lib/action-result";

/** The feed form's "Read the columns from the source": feeds.inspect reads the source's first 64 KB. */
export async function action({ request, context }: ActionFunctionArgs) {
  const input = (await request.json().catch(() => null)) as Parameters<typeof context.trpc.feeds.inspect>[0] | null;
  if (!input) return { error: "The feed's source did not arrive as JSON." };
  try {
    return await context.trpc.feeds.inspect(input);
  } catch (error) {
    return { error: refusalMessage(error) };
  }
}
