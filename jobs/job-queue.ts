import pg from "pg";
import PgBoss from "pg-boss";
import { sql, type Kysely } from "kysely";
import type { Database } from "../db/schema.js";
import type { QueueFigures } from "../server/metrics/queue-figures.js";
import { sessionLock } from "../db/advisory-locks.js";
import { IMPORT_QUEUE } from "../server/imports/import-queue.js";
import { FEED_RUN_QUEUE, FEED_TICK_QUEUE } from "../server/feeds/due-feeds.js";
import { DELIVERY_JOB_OPTIONS, JOB_QUEUE_SCHEMA, WEBHOOK_QUEUE } from "../server/webhooks/delivery-queue.js";

export type JobQueue = PgBoss;

/**
 * Processes starting together would deadlock inside pg-boss's create_queue (seen with two web
 * processes and a worker starting at once): they take turns.
 */
async function oneAtATime<T>(connectionString: string, work: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString, application_name: "product-importer:setup" });
  client.on("error", () => {});
  await client.connect();
  try {
    await sessionLock(client, "jobQueueSetup");
    return await work();
  } finally {
    await client.end().catch(() => {});
  }
}

/** pg-boss in its own schema of the app's database: Postgres is the only infrastructure. */
export async function startJobQueue(connectionString: string, options: { onError: (error: Error) => void }): Promise<JobQueue> {
  const boss = new PgBoss({ connectionString, schema: JOB_QUEUE_SCHEMA, application_name: "product-importer:jobs", max: 4 });
  boss.on("error", options.onError);
  await oneAtATime(connectionString, () => createQueues(boss));
  return boss;
}

async function createQueues(boss: PgBoss): Promise<void> {
  await boss.start();
  await boss.createQueue(IMPORT_QUEUE, {
    name: IMPORT_QUEUE,
    policy: "standard",
    retryLimit: 10,
    retryDelay: 5,
    retryBackoff: true,
    // An apply job that outlives this is retried; the imports table decides what is left to do.
    expireInSeconds: 6 * 60 * 60,
  });
  await boss.createQueue(WEBHOOK_QUEUE, { name: WEBHOOK_QUEUE, policy: "standard", ...DELIVERY_JOB_OPTIONS });
  // A run retries its source itself and always ends its own row; a job whose worker died expires and is failed by the tick.
  await boss.createQueue(FEED_RUN_QUEUE, { name: FEED_RUN_QUEUE, policy: "standard", retryLimit: 0, expireInSeconds: 6 * 60 * 60 });
  await boss.createQueue(FEED_TICK_QUEUE, { name: FEED_TICK_QUEUE, policy: "standard", retryLimit: 0, expireInSeconds: 10 * 60 });
}

/** The app's queues, as /metrics names them. */
export const APP_QUEUES = [IMPORT_QUEUE, WEBHOOK_QUEUE, FEED_RUN_QUEUE, FEED_TICK_QUEUE] as const;

/**
 * Each queue's figures in one scan of its unfinished jobs (pg-boss's own index on jobs not yet
 * active): the cost grows with what is waiting, never with the history kept.
 */
export async function readQueueFigures(db: Kysely<Database>): Promise<QueueFigures[]> {
  const { rows } = await sql<{ name: string; waiting: string; active: string; oldest_due: number | null }>`
    SELECT name,
      count(*) FILTER (WHERE state < 'active') AS waiting,
      count(*) FILTER (WHERE state = 'active') AS active,
      extract(epoch FROM statement_timestamp() - min(start_after) FILTER (WHERE state < 'active' AND start_after <= statement_timestamp()))::float8 AS oldest_due
    FROM ${sql.table(`${JOB_QUEUE_SCHEMA}.job`)}
    WHERE name = ANY(${[...APP_QUEUES]}::text[]) AND state <= 'active'
    GROUP BY name`.execute(db);
  const byName = new Map(rows.map((row) => [row.name, row]));
  return APP_QUEUES.map((queue) => {
    const row = byName.get(queue);
    return { queue, waiting: Number(row?.waiting ?? 0), active: Number(row?.active ?? 0), oldestDueSeconds: Math.max(0, row?.oldest_due ?? 0) };
  });
}
