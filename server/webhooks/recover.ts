import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.js";
import { Refusal } from "../refusal.js";
import type { DeliveryJob } from "./delivery-queue.js";
import { retentionCutoff } from "./retention.js";
import type { WebhookSettings } from "./webhook-settings.js";
import { WebhookNotFound } from "./webhook-errors.js";
import type { RecoverInput } from "./webhook.schema.js";
import { cancelWaitingDeliveries, queuedDeliveries } from "./queued-deliveries.js";
import { eventsToRecover, lockWebhookForRecovery } from "./webhooks.table.js";

/** Events one recovery resends at most; a longer outage is recovered in steps, from where the last one reached. */
export const RECOVER_LIMIT = 100_000;

/**
 * "Resend everything that failed since …": every event of the endpoint's types since then whose
 * last attempt to it failed, or that it never got (recorded while it was off), queued oldest first
 * as the next attempt of the same message (same `webhook-id`), with the whole retry schedule again.
 * Each event has at most one delivery job for the endpoint: one due now or in flight is left alone,
 * a retry waiting for later is replaced by the one queued now, and recoveries take turns (a lock
 * held until the jobs are in), so asking twice, even at once, never sends an event twice or starts
 * a second retry chain.
 */
export async function recoverDeliveries(
  deps: { db: Kysely<Database>; webhookSettings: WebhookSettings; enqueueDeliveries: (jobs: DeliveryJob[]) => Promise<void> },
  input: RecoverInput,
): Promise<{ queued: number }> {
  return deps.db.transaction().execute(async (tx) => {
    const webhook = await lockWebhookForRecovery(tx, input.id);
    if (!webhook) throw new WebhookNotFound(input.id);
    if (!webhook.enabled) {
      throw new Refusal(
        "conflict",
        "This endpoint is switched off. Switch it on first, then resend what failed: deliveries go only to an endpoint that is on.",
      );
    }
    const since = new Date(input.since);
    if (since.getTime() > Date.now()) throw new Refusal("invalid", "since is in the future: choose a moment in the past.", { field: "since" });
    const oldest = retentionCutoff(deps.webhookSettings.retentionDays);
    if (since < oldest) {
      throw new Refusal(
        "invalid",
        `since is before the retention window: events older than ${deps.webhookSettings.retentionDays} days have been pruned. Choose ${oldest.toISOString()} or later.`,
        { field: "since" },
      );
    }
    const events = await withoutSecondChain(tx, webhook.id, await eventsToRecover(tx, webhook, since, RECOVER_LIMIT));
    // Committed (on the queue's own connection) before the lock is let go: the next recovery sees them.
    await deps.enqueueDeliveries(
      events.map(({ eventId, attempts }) => ({ eventId, webhookId: webhook.id, attempt: attempts + 1, scheduleFrom: attempts + 1 })),
    );
    return { queued: events.length };
  });
}

/**
 * The events to queue now: those with no job left for the endpoint, and those whose only jobs wait
 * for later, which are cancelled here (queued now instead). One due now or in flight stays alone.
 */
async function withoutSecondChain<T extends { eventId: string }>(db: Kysely<Database>, webhookId: string, events: T[]): Promise<T[]> {
  const queued = await queuedDeliveries(db, webhookId);
  const waiting = events.flatMap(({ eventId }) => {
    const jobs = queued.get(eventId);
    return jobs && !jobs.going ? jobs.waitingJobIds : [];
  });
  const cancelled = await cancelWaitingDeliveries(db, waiting);
  return events.filter(({ eventId }) => {
    const jobs = queued.get(eventId);
    return !jobs || (!jobs.going && jobs.waitingJobIds.every((id) => cancelled.has(id)));
  });
}
