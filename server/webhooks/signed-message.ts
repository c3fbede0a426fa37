import { postWebhook, type PostResult } from "./post-webhook.js";
import { signatureHeaders } from "./signing.js";
import type { WebhookSettings } from "./webhook-settings.js";

/** The JSON body CONTRACT.md gives: the event's id, type, time and data. */
const messageBody = (event: { id: string; type: string; createdAt: Date; data: unknown }) =>
  JSON.stringify({ id: event.id, type: event.type, createdAt: event.createdAt.toISOString(), data: event.data });

/** Signs one message with the endpoint's secret and POSTs it; the caller logs the result. */
export function postSigned(
  webhook: { url: string; secret: string },
  message: { id: string; type: string; createdAt: Date; data: unknown },
  settings: Pick<WebhookSettings, "timeoutMs" | "allowPrivateNetworks">,
): Promise<PostResult> {
  const body = messageBody(message);
  return postWebhook(webhook.url, body, signatureHeaders(webhook.secret, message.id, new Date(), body), {
    timeoutMs: settings.timeoutMs,
    allowPrivateNetworks: settings.allowPrivateNetworks,
  });
}
