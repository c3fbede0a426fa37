import { initTRPC, TRPCError } from "@trpc/server";
import type { Kysely } from "kysely";
import type pg from "pg";
import type { Database } from "../../db/schema.js";
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
  errorFormatter({ shape, error }) {
    // zod issues become one readable sentence naming the field.
    const issues = (error.cause as { issues?: { path: PropertyKey[]; message: string }[] } | undefined)?.issues;
    if (error.code === "BAD_REQUEST" && issues?.length) {
      const message = issues.map((issue) => `${issue.path.map(String).join(".") || "input"}: ${issue.message}`).join("; ");
      return { ...shape, message };
    }
    return shape;
  },
});

export const router = t.router;
export const publicProcedure = t.procedure;
export const createCallerFactory = t.createCallerFactory;
export { TRPCError };
