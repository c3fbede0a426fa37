import { z } from "zod";
import { EVENT_TYPES, type EventType } from "../../db/schema.js";
import { idSchema } from "../ids.schema.js";
import { storableText } from "../text-input.schema.js";
import { pageInput } from "../paging.schema.js";

/** What the outbox records and an endpoint subscribes to, for whoever shows or chooses them (the webhook form). */
export { EVENT_TYPES, type EventType };

/** Requests in flight at once to one endpoint: the default and the bounds the form, the API and the database share. */
export const IN_FLIGHT_LIMITS = { default: 4, min: 1, max: 32 } as const;

/** Overlap hours a rotation may give the old secret: up to a week (CONTRACT.md: 0..168). */
export const MAX_OVERLAP_HOURS = 168;
export const DEFAULT_OVERLAP_HOURS = 24;

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
