import { TRPCError } from "@trpc/server";

export type ActionResult = { ok: true; message: string } | { ok: false; message: string };

/** Runs one procedure for an action; a refusal becomes a message for the page, never a 500. */
export async function attempt(work: () => Promise<unknown>, success: string): Promise<ActionResult> {
  try {
    await work();
    return { ok: true, message: success };
  } catch (error) {
    if (error instanceof TRPCError && error.code !== "INTERNAL_SERVER_ERROR") return { ok: false, message: error.message };
    throw error;
  }
}
