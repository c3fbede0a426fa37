import { createCookie, redirect, replace } from "@remix-run/node";
import type { Toast } from "~/components/toasts";

/**
 * An action's outcome, carried to the next page in a cookie that is read once (a flash): the root
 * loader takes it and the page shows it as a toast. Nothing about it goes into the URL, so a
 * reload or a shared link never repeats it.
 */
const flash = createCookie("pi_toast", { httpOnly: true, sameSite: "lax", path: "/", maxAge: 60 });

export async function toastHeaders(toast: Toast): Promise<Headers> {
  return new Headers({ "Set-Cookie": await flash.serialize(toast) });
}

/**
 * Redirects to `url`, where `toast` is shown. `replace` (for in-place changes such as a row's
 * switch) takes the place of the current history entry instead of adding one.
 */
export async function redirectWithToast(url: string, toast: Toast, options: { replace?: boolean } = {}): Promise<Response> {
  return (options.replace ? replace : redirect)(url, { headers: await toastHeaders(toast) });
}

/** The toast waiting for this request, and the header that clears it. */
export async function takeToast(request: Request): Promise<{ toast: Toast | null; headers?: Headers }> {
  const cookies = request.headers.get("cookie");
  if (!cookies?.includes("pi_toast=")) return { toast: null };
  const value = (await flash.parse(cookies)) as Partial<Toast> | null;
  const toast = typeof value?.message === "string" ? ({ message: value.message, tone: value.tone === "error" ? "error" : "success" } as Toast) : null;
  return { toast, headers: new Headers({ "Set-Cookie": await flash.serialize("", { maxAge: 0, expires: new Date(0) }) }) };
}
