import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { safeNextPath } from "~/lib/safe-next";

/**
 * Where the access gate sends a page-data request that has no session (it expired, or someone
 * logged out in another tab): Remix turns this redirect into one its client follows.
 */
function toLogin({ request }: LoaderFunctionArgs) {
  const next = safeNextPath(new URL(request.url).searchParams.get("next"));
  throw redirect(`/login?next=${encodeURIComponent(next)}`);
}

export const loader = toLogin;
export const action = toLogin;
