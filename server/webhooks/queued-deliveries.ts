import { sql, type Kysely } from "kysely";
import type { Database } from "../../db/schema.js";
import { DELIVERY_JOB_TABLE, WEBHOOK_QUEUE } from "./delivery-queue.js";

/** An event's delivery jobs to one endpoint that pg-boss has not finished with. */
export interface PendingJobs {
  /** One is due now (a worker takes it at its next fetch) or in flight. */
  going: boolean;
  /** The jobs waiting for a later time (a scheduled retry, an attempt put off). */
  waitingJobIds: string[];
}

/**
 * What is still in the queue for the endpoint, by event id: one scan of the queue's pending jobs,
 * grouped, so its cost does not depend on the planner guessing the queue's size right.
 */
export async function queuedDeliveries(db: Kysely<Database>, webhookId: string): Promise<Map<string, PendingJobs>> {
  const { rows } = await sql<{ event_id: string; going: boolean; waiting: string[] }>`
    SELECT j.data->>'eventId' AS event_id,
      bool_or(j.state = 'active' OR j.start_after <= statement_timestamp()) AS going,
      coalesce(array_agg(j.id::text) FILTER (WHERE j.state < 'active' AND j.start_after > statement_timestamp()), '{}') AS waiting
    FROM ${sql.table(DELIVERY_JOB_TABLE)} AS j
    WHERE j.name = ${WEBHOOK_QUEUE} AND j.state <= 'active' AND j.data->>'webhookId' = ${webhookId}
    GROUP BY 1`.execute(db);
  return new Map(rows.map((row) => [row.event_id, { going: row.going, waitingJobIds: row.waiting }]));
}

/**
 * Cancels jobs still waiting (as pg-boss's own `cancel` does), never one a worker has taken
 * meanwhile; returns the ids it cancelled.
 */
export async function cancelWaitingDeliveries(db: Kysely<Database>, jobIds: string[]): Promise<Set<string>> {
  if (jobIds.length === 0) return new Set();
  const { rows } = await sql<{ id: string }>`
    UPDATE ${sql.table(DELIVERY_JOB_TABLE)} SET state = 'cancelled', completed_on = now()
    WHERE name = ${WEBHOOK_QUEUE} AND id = ANY(${jobIds}::uuid[]) AND state < 'active'
    RETURNING id::text AS id`.execute(db);
  return new Set(rows.map((row) => row.id));
}
