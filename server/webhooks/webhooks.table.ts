import { sql, type Kysely, type Transaction } from "kysely";
import { transactionLock } from "../../db/advisory-locks.js";
import type { Database, EventType } from "../../db/schema.js";
import { recordEvent } from "../events/events.table.js";
import type { WebhookCreateInput, WebhookUpdateInput } from "./webhook.schema.js";

export function listWebhooks(db: Kysely<Database>) {
  return db.selectFrom("webhooks").selectAll().orderBy("id").execute();
}

export function findWebhook(db: Kysely<Database>, id: string) {
  return db.selectFrom("webhooks").selectAll().where("id", "=", id).executeTakeFirst();
}

/** The endpoints with these ids that still exist. `ids` must not be empty. */
export function findWebhooks(db: Kysely<Database>, ids: string[]) {
  return db.selectFrom("webhooks").selectAll().where("id", "in", ids).execute();
}

export function insertWebhook(db: Kysely<Database>, input: WebhookCreateInput, secret: string) {
  return db
    .insertInto("webhooks")
    .values({ url: input.url, events: input.events, enabled: input.enabled, max_in_flight: input.maxInFlight, secret })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function updateWebhookRow(db: Kysely<Database>, input: WebhookUpdateInput & { secret?: string }) {
  const { id, maxInFlight, ...changes } = input;
  return db
    .updateTable("webhooks")
    .set({
      ...changes,
      ...(maxInFlight !== undefined ? { max_in_flight: maxInFlight } : {}),
      // Switching an endpoint on again clears why it was switched off, and starts its failure clock afresh.
      ...(changes.enabled ? { disabled_reason: null, failing_since: null } : {}),
      updated_at: sql`now()`,
    })
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirst();
}

/**
 * A new secret; the current one keeps signing beside it for `overlapHours` (none at 0). A second
 * rotation within the overlap ends the oldest secret: a message carries at most two signatures.
 */
export function rotateSecretRow(db: Kysely<Database>, id: string, secret: string, overlapHours: number) {
  return db
    .updateTable("webhooks")
    .set({
      previous_secret: overlapHours > 0 ? sql<string>`secret` : null,
      previous_secret_expires_at: overlapHours > 0 ? sql<Date>`now() + make_interval(hours => ${overlapHours})` : null,
      secret,
      updated_at: sql`now()`,
    })
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirst();
}

export function deleteWebhookRow(db: Kysely<Database>, id: string) {
  return db.deleteFrom("webhooks").where("id", "=", id).returning("id").executeTakeFirst();
}

/** Enabled endpoints subscribed to any of `types`. */
export function subscribersOf(db: Kysely<Database>, types: EventType[]) {
  return db
    .selectFrom("webhooks")
    .select(["id", "events"])
    .where("enabled", "=", true)
    .where(sql<boolean>`events && ${sql.val(types)}::text[]`)
    .execute();
}

export interface DeliveryAttempt {
  webhookId: string;
  eventId: string;
  eventType: string;
  attempt: number;
  statusCode: number | null;
  latencyMs: number | null;
  error: string | null;
  responseBody: string | null;
  requestHeaders: Record<string, string> | null;
  responseHeaders: Record<string, string> | null;
}

/** Logs attempts and updates each endpoint's "last delivery" in one statement. */
export async function recordAttempts(db: Kysely<Database>, attempts: DeliveryAttempt[]): Promise<void> {
  if (attempts.length === 0) return;
  await db.transaction().execute(async (tx) => {
    // Endpoints deleted meanwhile have nothing to log against; the lock keeps the rest from going.
    const live = new Set(
      (
        await tx
          .selectFrom("webhooks")
          .select("id")
          .where("id", "in", [...new Set(attempts.map((a) => a.webhookId))])
          .forKeyShare()
          .execute()
      ).map((row) => row.id),
    );
    const kept = attempts.filter((attempt) => live.has(attempt.webhookId));
    if (kept.length === 0) return;
    const rows = await tx
      .insertInto("webhook_deliveries")
      .values(
        kept.map((attempt) => ({
          webhook_id: attempt.webhookId,
          event_id: attempt.eventId,
          event_type: attempt.eventType,
          attempt: attempt.attempt,
          status_code: attempt.statusCode,
          latency_ms: attempt.latencyMs,
          error: attempt.error,
          response_body: attempt.responseBody,
          request_headers: attempt.requestHeaders && JSON.stringify(attempt.requestHeaders),
          response_headers: attempt.responseHeaders && JSON.stringify(attempt.responseHeaders),
        })),
      )
      .returning(["webhook_id", "status_code", "latency_ms", "error", "created_at"])
      .execute();
    const latest = new Map(rows.map((row) => [row.webhook_id, row]));
    for (const row of latest.values()) {
      const delivered = row.status_code !== null && row.status_code >= 200 && row.status_code < 300;
      await tx
        .updateTable("webhooks")
        .set({
          last_status_code: row.status_code,
          last_latency_ms: row.latency_ms,
          last_error: row.error,
          last_delivery_at: row.created_at,
          failing_since: delivered ? null : sql<Date>`coalesce(failing_since, ${row.created_at})`,
        })
        .where("id", "=", row.webhook_id)
        .execute();
    }
  });
}

/**
 * Switches an endpoint off with the reason, unless it is off already or (with `unlessDeliveredSince`)
 * something reached it since then; the `webhook.disabled` event goes to the other endpoints in the
 * same transaction. Returns whether it switched it off.
 */
export async function switchOff(db: Kysely<Database>, webhookId: string, reason: string, unlessDeliveredSince?: Date): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    const row = await tx
      .updateTable("webhooks")
      .set({ enabled: false, disabled_reason: reason, updated_at: sql`now()` })
      .where("id", "=", webhookId)
      .where("enabled", "=", true)
      .$if(unlessDeliveredSince !== undefined, (query) =>
        query.where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom("webhook_deliveries")
                .select(sql`1`.as("one"))
                .where("webhook_id", "=", webhookId)
                .where("created_at", ">", unlessDeliveredSince!)
                .where("status_code", ">=", 200)
                .where("status_code", "<", 300),
            ),
          ),
        ),
      )
      .returning(["id", "url", "updated_at"])
      .executeTakeFirst();
    if (!row) return false;
    await recordEvent(tx, "webhook.disabled", { id: row.id, url: row.url, reason, disabledAt: row.updated_at.toISOString() });
    return true;
  });
}

export async function listDeliveries(db: Kysely<Database>, webhookId: string, page: number, pageSize: number) {
  const [items, total] = await Promise.all([
    db
      .selectFrom("webhook_deliveries")
      .selectAll()
      .where("webhook_id", "=", webhookId)
      .orderBy("id", "desc")
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    db
      .selectFrom("webhook_deliveries")
      .select((eb) => eb.fn.countAll<string>().as("count"))
      .where("webhook_id", "=", webhookId)
      .executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.count) };
}

export function findDelivery(db: Kysely<Database>, id: string) {
  return db.selectFrom("webhook_deliveries").selectAll().where("id", "=", id).executeTakeFirst();
}

/** The first attempt at delivering one event to one endpoint: when its retries began. */
export async function firstAttemptAt(db: Kysely<Database>, webhookId: string, eventId: string): Promise<Date | undefined> {
  const row = await db
    .selectFrom("webhook_deliveries")
    .select("created_at")
    .where("webhook_id", "=", webhookId)
    .where("event_id", "=", eventId)
    .orderBy("id")
    .limit(1)
    .executeTakeFirst();
  return row?.created_at;
}

export async function latestAttempt(db: Kysely<Database>, webhookId: string, eventId: string): Promise<number> {
  const row = await db
    .selectFrom("webhook_deliveries")
    .select((eb) => eb.fn.max("attempt").as("attempt"))
    .where("webhook_id", "=", webhookId)
    .where("event_id", "=", eventId)
    .executeTakeFirst();
  return Number(row?.attempt ?? 0);
}

/**
 * The endpoint, once no other recovery runs: recoveries take turns until the caller's transaction
 * ends (an advisory lock, not the endpoint's row, which logging every delivery attempt updates).
 */
export async function lockWebhookForRecovery(tx: Transaction<Database>, id: string) {
  await transactionLock(tx, "webhookRecovery");
  return tx.selectFrom("webhooks").selectAll().where("id", "=", id).executeTakeFirst();
}

/**
 * Events of the endpoint's types recorded since `since` (and since it exists) whose last attempt to
 * it failed or that it never got, oldest first, with how many attempts each had.
 */
export async function eventsToRecover(
  db: Kysely<Database>,
  webhook: { id: string; events: EventType[]; created_at: Date },
  since: Date,
  limit: number,
) {
  const { rows } = await sql<{ id: string; attempts: number }>`
    SELECT e.id, coalesce(last.attempt, 0) AS attempts
    FROM events AS e
    LEFT JOIN LATERAL (
      SELECT d.attempt, d.status_code FROM webhook_deliveries AS d
      WHERE d.webhook_id = ${webhook.id} AND d.event_id = e.id
      ORDER BY d.id DESC LIMIT 1
    ) AS last ON true
    WHERE e.created_at >= ${since > webhook.created_at ? since : webhook.created_at}
      AND e.type = ANY(${sql.val(webhook.events)}::text[])
      AND e.dispatched_at IS NOT NULL
      AND (last.status_code IS NULL OR last.status_code NOT BETWEEN 200 AND 299)
    ORDER BY e.position
    LIMIT ${limit}`.execute(db);
  return rows.map((row) => ({ eventId: row.id, attempts: Number(row.attempts) }));
}

/** Endpoints switched off (by their failures, a 410, or a person) and not switched on again. */
export async function countSwitchedOffEndpoints(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom("webhooks")
    .select((eb) => eb.fn.countAll<string>().as("count"))
    .where("enabled", "=", false)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}
