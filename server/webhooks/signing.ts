import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";

/** A new signing secret in the Standard Webhooks form: `whsec_` + base64 of 24 random bytes. */
export const newSigningSecret = () => `whsec_${randomBytes(24).toString("base64")}`;

/** The secrets a message is signed with: the current one, and the one before it until its overlap ends. */
export function signingSecrets(
  webhook: { secret: string; previous_secret?: string | null; previous_secret_expires_at?: Date | null },
  now = new Date(),
) {
  const previousActive = webhook.previous_secret && webhook.previous_secret_expires_at && webhook.previous_secret_expires_at > now;
  return previousActive ? [webhook.secret, webhook.previous_secret!] : [webhook.secret];
}

/**
 * The three Standard Webhooks headers for one message. `messageId` is the event's id and stays
 * the same on every retry, so receivers can drop duplicates. With two secrets the signature
 * header carries both, space-separated, as the specification allows: a receiver verifying with
 * either accepts the message.
 */
export function signatureHeaders(secrets: string[], messageId: string, sentAt: Date, body: string) {
  return {
    "webhook-id": messageId,
    "webhook-timestamp": String(Math.floor(sentAt.getTime() / 1000)),
    "webhook-signature": secrets.map((secret) => new Webhook(secret).sign(messageId, sentAt, body)).join(" "),
  };
}
