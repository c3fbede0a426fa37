import { initTRPC, TRPCError } from "@trpc/server";
import type { Kysely } from "kysely";
import type pg from "pg";
import type { Database } from "../../db/schema.js";
import { Refusal } from "../refusal.js";
import type { DeliveryJob } from "../webhooks/delivery-queue.js";
import type { WebhookSettings } from "../webhooks/webhook-settings.js";

/** What every procedure can reach. Built once per process and shared by HTTP and Remix loaders. */
export interface ApiContext {
  db: Kysely<Database>;
  pool: pg.Pool;
  /** Gets a worker onto the import queue (pg-boss send). */
  requestImportApply: () => Promise<void>;
  webhookSettings: WebhookSettings;
  /** Queues one delivery attempt (Resend). */
  enqueueDelivery: (job: DeliveryJob) => Promise<void>;
}

const t = initTRPC.context<ApiContext>().create({
  // Error answers carry the message, never a stack trace.
  isDev: false,
  errorFormatter({ shape, error }) {
    // A server fault's own message (a Postgres error, say) is for the log, not for the caller.
    if (error.code === "INTERNAL_SERVER_ERROR") return { ...shape, message: "Something went wrong on our side; try again." };
    // zod issues become one readable sentence naming the field.
    const issues = (error.cause as { issues?: { path: PropertyKey[]; message: string }[] } | undefined)?.issues;
    if (error.code === "BAD_REQUEST" && issues?.length) {
      const message = issues.map((issue) => `${issue.path.map(String).join(".") || "input"}: ${issue.message}`).join("; ");
      return { ...shape, message };
    }
    return shape;
  },
});

const CODES = { not_found: "NOT_FOUND", conflict: "CONFLICT", invalid: "BAD_REQUEST" } as const;

/** Domain refusals become the tRPC codes CONTRACT.md names, with their message (and issues) intact. */
const refusalsAsTrpcErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof Refusal) {
    const refusal = result.error.cause;
    throw new TRPCError({ code: CODES[refusal.kind], message: refusal.message, cause: refusal });
  }
  return result;
});

export const router = t.router;
export const publicProcedure = t.procedure.use(refusalsAsTrpcErrors);
export const createCallerFactory = t.createCallerFactory;
export { TRPCError };
