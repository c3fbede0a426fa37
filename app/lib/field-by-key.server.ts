import type { AppLoadContext } from "@remix-run/node";

/** The field a dialog's URL names (`/fields/:key/edit`); a key no field has is the page's 404, as pageData answers a refusal. */
export async function fieldByKey(context: AppLoadContext, key: string | undefined) {
  const field = (await context.trpc.fields.list({})).find((candidate) => candidate.key === key);
  if (!field) throw new Response(`There is no field "${key}".`, { status: 404, statusText: "Not Found" });
  return field;
}
