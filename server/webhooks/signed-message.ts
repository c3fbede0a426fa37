import { postWebhook, type PostResult } from "./post-webhook.js";
import { signatureHeaders, signingSecrets } from "./signing.js";
import type { WebhookSettings } from "./webhook-settings.js";

/** The JSON body CONTRACT.md gives: the event's id, type, time and data. */
const messageBody = (event: { id: string; type: string; createdAt: Date; data: unknown }) =>
  JSON.stringify({ id: event.id, type: event.type, createdAt: event.createdAt.toISOString(), data: event.data });

/** Signs one message with the endpoint's secrets and POSTs it; the caller logs the result. */
export function postSigned(
  webhook: { url: string; secret: string; previous_secret?: string | null; previous_secret_expires_at?: Date | null },
  message: { id: string; type: string; createdAt: Date; data: unknown },
  settings: Pick<WebhookSettings, "timeoutMs" | "allowPrivateNetworks">,
): Promise<PostResult> {
  const body = messageBody(message);
  const sentAt = new Date();
  return postWebhook(webhook.url, body, signatureHeaders(signingSecrets(webhook, sentAt), message.id, sentAt, body), {
    timeoutMs: settings.timeoutMs,
    allowPrivateNetworks: settings.allowPrivateNetworks,
  });
}
