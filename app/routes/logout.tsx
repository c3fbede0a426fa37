import { redirect, type ActionFunctionArgs } from "@remix-run/node";

// Logging out changes state, so it is a POST (the header's button); a plain visit goes home.
export const loader = () => redirect("/");

export async function action({ context }: ActionFunctionArgs) {
  if (!context.access.enabled) throw redirect("/");
  throw redirect("/login", { headers: { "Set-Cookie": await context.access.logOut() } });
}
