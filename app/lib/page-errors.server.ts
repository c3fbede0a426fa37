import { STATUS_CODES } from "node:http";
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { refusalText } from "../../server/trpc/refusal-text";

/**
 * Runs a loader's procedure calls; a refusal (a page number out of range, a filter too long, an
 * id that names nothing) becomes the page's own 4xx answer with the procedure's message, which
 * the error boundary shows, instead of a 500.
 */
export async function pageData<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof TRPCError && error.code !== "INTERNAL_SERVER_ERROR") {
      const status = getHTTPStatusCodeFromError(error);
      throw new Response(refusalText(error), { status, statusText: STATUS_CODES[status] });
    }
    throw error;
  }
}
