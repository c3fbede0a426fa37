import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.js";
import { TEST_PAYLOAD } from "../events/event-payloads.js";
import { publicAddressesOf, TargetRefused } from "../http/address-guard.js";
import { postSigned } from "./signed-message.js";
import { newSigningSecret } from "./signing.js";
import type { WebhookSettings } from "./webhook-settings.js";
import { WebhookNotFound, WebhookUrlRefused } from "./webhook-errors.js";
import type { RotateSecretInput, WebhookCreateInput, WebhookUpdateInput } from "./webhook.schema.js";
import { toWebhookJson, toWebhookJsonWithSecret } from "./webhook-json.js";
import { deleteWebhookRow, findWebhook, insertWebhook, recordAttempts, rotateSecretRow, updateWebhookRow } from "./webhooks.table.js";

/** Checked when saved and again before every delivery (DNS can change in between). */
async function assertCallable(url: string, settings: WebhookSettings): Promise<void> {
  if (settings.allowPrivateNetworks) return;
  try {
    await publicAddressesOf(new URL(url).hostname);
  } catch (error) {
    if (error instanceof TargetRefused) throw new WebhookUrlRefused(error.message);
    throw error;
  }
}

export async function createWebhook(db: Kysely<Database>, settings: WebhookSettings, input: WebhookCreateInput) {
  await assertCallable(input.url, settings);
  return toWebhookJsonWithSecret(await insertWebhook(db, input, newSigningSecret()));
}

export async function updateWebhook(db: Kysely<Database>, settings: WebhookSettings, input: WebhookUpdateInput) {
  if (input.url !== undefined) await assertCallable(input.url, settings);
  const row = await updateWebhookRow(db, input);
  if (!row) throw new WebhookNotFound(input.id);
  return toWebhookJson(row);
}

/**
 * A new secret at once; messages already queued are signed with it when they go out, and with the
 * old one too until the overlap ends, so receivers can switch over without losing any.
 */
export async function rotateWebhookSecret(db: Kysely<Database>, input: RotateSecretInput) {
  const row = await rotateSecretRow(db, input.id, newSigningSecret(), input.overlapHours);
  if (!row) throw new WebhookNotFound(input.id);
  return toWebhookJsonWithSecret(row);
}

/**
 * The secret, asked for on purpose (the page's Reveal): a mutation, so a read token is refused
 * and a browser on another site cannot ask on someone's behalf.
 */
export async function revealWebhookSecret(db: Kysely<Database>, id: string) {
  const webhook = await findWebhook(db, id);
  if (!webhook) throw new WebhookNotFound(id);
  return { id: webhook.id, secret: webhook.secret };
}

export async function deleteWebhook(db: Kysely<Database>, id: string) {
  if (!(await deleteWebhookRow(db, id))) throw new WebhookNotFound(id);
  return { id };
}

/**
 * The Test button: a signed `webhook.test` message sent now (the person is waiting for the
 * answer), logged like any delivery.
 */
export async function testWebhook(db: Kysely<Database>, settings: WebhookSettings, id: string) {
  const webhook = await findWebhook(db, id);
  if (!webhook) throw new WebhookNotFound(id);
  const event = {
    id: randomUUID(),
    type: "webhook.test",
    createdAt: new Date(),
    // Checked against the schema the event catalog publishes for it, like every recorded event.
    data: TEST_PAYLOAD.parse({ webhookId: webhook.id, message: "A test from Product Importer." }),
  };
  const result = await postSigned(webhook, event, settings);
  await recordAttempts(db, [{ webhookId: webhook.id, eventId: event.id, eventType: event.type, attempt: 1, ...result }]);
  return { ok: result.ok, statusCode: result.statusCode, latencyMs: result.latencyMs, error: result.error };
}
