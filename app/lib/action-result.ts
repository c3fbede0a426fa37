import { TRPCError } from "@trpc/server";
import { refusalText } from "../../server/trpc/refusal-text";

/** What to tell the person when a procedure refused: its message. A server fault is thrown on (a 500). */
export function refusalMessage(error: unknown): string {
  if (error instanceof TRPCError && error.code !== "INTERNAL_SERVER_ERROR") return refusalText(error);
  throw error;
}
