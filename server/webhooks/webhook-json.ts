import type { Selectable } from "kysely";
import type { WebhookDeliveriesTable, WebhooksTable } from "../../db/schema.js";
import { signingSecrets } from "./signing.js";
import { alertOf } from "./webhook-alerts.js";
import { secretHint } from "./secret-hint.js";

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
