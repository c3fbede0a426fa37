import { z } from "zod";
import { publicProcedure, router } from "../trpc/trpc.js";
import { createWebhook, deleteWebhook, revealWebhookSecret, rotateWebhookSecret, testWebhook, updateWebhook } from "./endpoints.js";
import { EVENT_CATALOG } from "../events/event-catalog.js";
import { recoverDeliveries } from "./recover.js";
import { describeSchedule, type WebhookSettings } from "./webhook-settings.js";
import type { DeliveryJob } from "./delivery-queue.js";
import { DeliveryNotFound, WebhookNotFound } from "./webhook-errors.js";
import {
  deliveriesInput,
  recoverInput,
  resendInput,
  rotateSecretInput,
  webhookCreateInput,
  webhookIdInput,
  webhookUpdateInput,
} from "./webhook.schema.js";
import { toDeliveryJson, toWebhookJson } from "./webhook-json.js";
import { findDelivery, findWebhook, listDeliveries, listWebhooks, latestAttempt } from "./webhooks.table.js";

declare module "../trpc/trpc.js" {
  interface ApiPorts {
    webhookSettings: WebhookSettings;
    /** Queues delivery attempts (Resend, recover), to be made in the order given. */
    enqueueDeliveries: (jobs: DeliveryJob[]) => Promise<void>;
  }
}

export const webhooksRouter = router({
  list: publicProcedure.input(z.object({}).passthrough().default({})).query(async ({ ctx }) => (await listWebhooks(ctx.db)).map(toWebhookJson)),
  get: publicProcedure.input(webhookIdInput).query(async ({ ctx, input }) => {
    const row = await findWebhook(ctx.db, input.id);
    if (!row) throw new WebhookNotFound(input.id);
    return toWebhookJson(row);
  }),
  create: publicProcedure.input(webhookCreateInput).mutation(({ ctx, input }) => createWebhook(ctx.db, ctx.webhookSettings, input)),
  update: publicProcedure.input(webhookUpdateInput).mutation(({ ctx, input }) => updateWebhook(ctx.db, ctx.webhookSettings, input)),
  rotateSecret: publicProcedure.input(rotateSecretInput).mutation(({ ctx, input }) => rotateWebhookSecret(ctx.db, input)),
  /** A mutation although it changes nothing: read tokens may not sign, and reading it is a deliberate act. */
  revealSecret: publicProcedure.input(webhookIdInput).mutation(({ ctx, input }) => revealWebhookSecret(ctx.db, input.id)),
  delete: publicProcedure.input(webhookIdInput).mutation(({ ctx, input }) => deleteWebhook(ctx.db, input.id)),
  test: publicProcedure.input(webhookIdInput).mutation(({ ctx, input }) => testWebhook(ctx.db, ctx.webhookSettings, input.id)),
  /** Endpoints needing attention (the header shows them on every page), and how long retries go on. */
  alerts: publicProcedure.input(z.object({}).passthrough().default({})).query(async ({ ctx }) => ({
    endpoints: (await listWebhooks(ctx.db)).map(toWebhookJson).filter((webhook) => webhook.alert !== null),
    retryWindow: describeSchedule(ctx.webhookSettings.retryDelaysSeconds),
  })),
  eventTypes: publicProcedure.input(z.object({}).passthrough().default({})).query(() => EVENT_CATALOG),
  recover: publicProcedure.input(recoverInput).mutation(({ ctx, input }) => recoverDeliveries(ctx, input)),
  deliveries: publicProcedure.input(deliveriesInput).query(async ({ ctx, input }) => {
    if (!(await findWebhook(ctx.db, input.id))) throw new WebhookNotFound(input.id);
    const { items, total } = await listDeliveries(ctx.db, input.id, input.page, input.pageSize);
    return { items: items.map(toDeliveryJson), total, page: input.page, pageSize: input.pageSize };
  }),
  /** Sends a logged delivery's event again, now, as the next attempt (the test message: a new test). */
  resend: publicProcedure.input(resendInput).mutation(async ({ ctx, input }) => {
    const delivery = await findDelivery(ctx.db, input.deliveryId);
    if (!delivery) throw new DeliveryNotFound(input.deliveryId);
    if (delivery.event_type === "webhook.test") return { queued: false, test: await testWebhook(ctx.db, ctx.webhookSettings, delivery.webhook_id) };
    const attempt = (await latestAttempt(ctx.db, delivery.webhook_id, delivery.event_id)) + 1;
    await ctx.enqueueDeliveries([{ eventId: delivery.event_id, webhookId: delivery.webhook_id, attempt, manual: true }]);
    return { queued: true, test: null };
  }),
});
