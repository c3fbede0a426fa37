import { z } from "zod";
import type { Selectable } from "kysely";
import { EVENT_TYPES, type WebhookDeliveriesTable, type WebhooksTable } from "../../db/schema.js";
import { idSchema } from "../ids.js";
import { storableText } from "../text-input.js";
import { pageInput } from "../paging.js";
import { DEFAULT_OVERLAP_HOURS, MAX_OVERLAP_HOURS, signingSecrets } from "./signing.js";
import { alertOf } from "./webhook-alerts.js";
import { IN_FLIGHT_LIMITS } from "./in-flight-limits.js";
import { secretHint } from "./secret-hint.js";

export const webhookIdInput = z.object({ id: idSchema });

const webhookUrl = storableText("URL")
  .trim()
  .min(1, "URL is required")
  .max(2_000, "URL must be at most 2,000 characters")
  .refine((value) => URL.canParse(value), "URL is not a valid address (e.g. https://example.com/hooks)")
  .refine((value) => !URL.canParse(value) || ["http:", "https:"].includes(new URL(value).protocol), "URL must start with http:// or https://");

const eventList = z
  .array(z.enum(EVENT_TYPES, { message: `Events must be among ${EVENT_TYPES.join(", ")}` }))
  .min(1, "Choose at least one event")
  .transform((events) => EVENT_TYPES.filter((type) => events.includes(type)));

const maxInFlight = z
  .number({ message: "Requests at once must be a number" })
  .int("Requests at once must be a whole number")
  .min(IN_FLIGHT_LIMITS.min, `Requests at once must be between ${IN_FLIGHT_LIMITS.min} and ${IN_FLIGHT_LIMITS.max}`)
  .max(IN_FLIGHT_LIMITS.max, `Requests at once must be between ${IN_FLIGHT_LIMITS.min} and ${IN_FLIGHT_LIMITS.max}`);

/** Shared by the tRPC procedures, the webhook form and the tests. */
export const webhookCreateInput = z.object({
  url: webhookUrl,
  events: eventList,
  enabled: z.boolean().default(true),
  maxInFlight: maxInFlight.default(IN_FLIGHT_LIMITS.default),
});
export type WebhookCreateInput = z.infer<typeof webhookCreateInput>;

export const webhookUpdateInput = webhookIdInput.extend({
  url: webhookUrl.optional(),
  events: eventList.optional(),
  enabled: z.boolean().optional(),
  maxInFlight: maxInFlight.optional(),
});
export type WebhookUpdateInput = z.infer<typeof webhookUpdateInput>;

export const rotateSecretInput = webhookIdInput.extend({
  overlapHours: z
    .number({ message: "overlapHours must be a number of hours" })
    .int("overlapHours must be a whole number of hours")
    .min(0, `overlapHours must be between 0 and ${MAX_OVERLAP_HOURS}`)
    .max(MAX_OVERLAP_HOURS, `overlapHours must be between 0 and ${MAX_OVERLAP_HOURS} (a week)`)
    .default(DEFAULT_OVERLAP_HOURS),
});
export type RotateSecretInput = z.infer<typeof rotateSecretInput>;

export const deliveriesInput = webhookIdInput.extend(pageInput.shape);

export const recoverInput = webhookIdInput.extend({
  since: z.iso.datetime({ offset: true, message: "since must be an ISO-8601 date and time, e.g. 2026-12-01T09:00:00Z" }),
});
export type RecoverInput = z.infer<typeof recoverInput>;

export const resendInput = z.object({ deliveryId: idSchema });

/**
 * An endpoint as lists and lookups show it, to any caller (read tokens included): the secret is
 * left out (null, the key kept for older clients), since whoever holds it can forge deliveries.
 */
export function toWebhookJson(row: Selectable<WebhooksTable>) {
  return {
    id: row.id,
    url: row.url,
    events: row.events,
    enabled: row.enabled,
    maxInFlight: row.max_in_flight,
    secret: null,
    secretHint: secretHint(row.secret),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    lastStatusCode: row.last_status_code,
    lastLatencyMs: row.last_latency_ms,
    lastDeliveryAt: row.last_delivery_at?.toISOString() ?? null,
    lastError: row.last_error,
    /** Set when deliveries kept failing for a day and the endpoint was switched off. */
    disabledReason: row.disabled_reason,
    /** Since when deliveries have been failing (null while they succeed). */
    failingSince: row.failing_since?.toISOString() ?? null,
    /** Failing for over an hour, or switched off automatically: what the header and the page say. */
    alert: alertOf(row),
    /** Until when the secret before the last rotation still signs beside the current one (null: it does not). */
    previousSecretExpiresAt: signingSecrets(row).length > 1 ? row.previous_secret_expires_at!.toISOString() : null,
  };
}
export type WebhookJson = ReturnType<typeof toWebhookJson>;

/** With the secret: only what a mutation answers (create, rotateSecret), which a read token cannot call. */
export function toWebhookJsonWithSecret(row: Selectable<WebhooksTable>) {
  return { ...toWebhookJson(row), secret: row.secret };
}

export function toDeliveryJson(row: Selectable<WebhookDeliveriesTable>) {
  return {
    id: row.id,
    webhookId: row.webhook_id,
    eventId: row.event_id,
    eventType: row.event_type,
    attempt: row.attempt,
    statusCode: row.status_code,
    latencyMs: row.latency_ms,
    error: row.error,
    responseBody: row.response_body,
    requestHeaders: row.request_headers,
    responseHeaders: row.response_headers,
    createdAt: row.created_at.toISOString(),
  };
}
