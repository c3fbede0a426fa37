import type { Selectable } from "kysely";
import type { WebhooksTable } from "../../db/schema.js";

/** Failing for longer than this, an endpoint is worth telling someone about, wherever they are in the app. */
export const FAILING_ALERT_AFTER_MS = 3_600_000;

export type WebhookAlert = { kind: "failing"; since: string } | { kind: "disabled"; reason: string };

/** What needs someone's attention about an endpoint, if anything. */
export function alertOf(row: Selectable<WebhooksTable>, now = Date.now()): WebhookAlert | null {
  if (!row.enabled) return row.disabled_reason ? { kind: "disabled", reason: row.disabled_reason } : null;
  if (row.failing_since && now - row.failing_since.getTime() > FAILING_ALERT_AFTER_MS)
    return { kind: "failing", since: row.failing_since.toISOString() };
  return null;
}
