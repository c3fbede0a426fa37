import { TRPCError } from "@trpc/server";

/** What to tell the person when a procedure refused: its message. A server fault is thrown on (a 500). */
export function refusalMessage(error: unknown): string {
  if (error instanceof TRPCError && error.code !== "INTERNAL_SERVER_ERROR") return error.message;
  throw error;
}
