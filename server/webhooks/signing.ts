import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";

/** A new signing secret in the Standard Webhooks form: `whsec_` + base64 of 24 random bytes. */
export const newSigningSecret = () => `whsec_${randomBytes(24).toString("base64")}`;

/**
 * The three Standard Webhooks headers for one message. `messageId` is the event's id and stays
 * the same on every retry, so receivers can drop duplicates.
 */
export function signatureHeaders(secret: string, messageId: string, sentAt: Date, body: string) {
  return {
    "webhook-id": messageId,
    "webhook-timestamp": String(Math.floor(sentAt.getTime() / 1000)),
    "webhook-signature": new Webhook(secret).sign(messageId, sentAt, body),
  };
}
