import type { ActionFunctionArgs } from "@remix-run/node";
import { refusalMessage } from "~/lib/action-result";

/**
 * The upload panel's look into a file before it is sent: the first 64 KB go to imports.inspect,
 * which answers how the upload would read them.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const input = (await request.json().catch(() => null)) as Parameters<typeof context.trpc.imports.inspect>[0] | null;
  if (!input) return { error: "The file's sample did not arrive as JSON." };
  try {
    return await context.trpc.imports.inspect(input);
  } catch (error) {
    return { error: refusalMessage(error) };
  }
}
