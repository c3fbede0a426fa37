import type { TRPCError } from "@trpc/server";
import { Refusal } from "../refusal.js";

type Issue = { path: PropertyKey[]; message: string };

/**
 * A refusal as one readable sentence: zod issues name their field ("sku: must be at most 255
 * characters"), as does a refused field. Used for API answers and, through the same function, by
 * the pages that call procedures directly (where no error formatter runs).
 */
export function refusalText(error: TRPCError): string {
  const cause = error.cause;
  const field = cause instanceof Refusal ? cause.field : undefined;
  const issues = (cause as { issues?: Issue[] } | undefined)?.issues;
  if (error.code === "BAD_REQUEST" && issues?.length) {
    return issues.map((issue) => `${issue.path.map(String).join(".") || "input"}: ${issue.message}`).join("; ");
  }
  if (error.code === "BAD_REQUEST" && field) return `${field}: ${error.message}`;
  return error.message;
}
