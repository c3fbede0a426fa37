import { sql, type Insertable, type Kysely, type Selectable, type Updateable } from "kysely";
import type { Database, FeedRunsTable, FeedRunStatus, FeedsTable, SourceVersion } from "../../db/schema.js";
import { isPgError } from "../../db/postgres-errors.js";
import { JOB_QUEUE_SCHEMA } from "../webhooks/delivery-queue.js";

export type FeedRow = Selectable<FeedsTable>;
export type FeedRunRow = Selectable<FeedRunsTable>;
export type FeedWithRuns = FeedRow & { last_run: FeedRunRow | null; failing: boolean; waiting_import_id: string | null };

/** Failed runs in a row after which a feed needs someone's attention. */
export const FAILED_RUNS_FOR_ALERT = 3;

/** Each feed with its latest run, and whether its last FAILED_RUNS_FOR_ALERT finished runs all failed. */
function feedsWithRuns(db: Kysely<Database>) {
  return db
    .selectFrom("feeds")
    .selectAll("feeds")
    .select((eb) => [
      eb
        .selectFrom("feed_runs")
        .select(sql<FeedRunRow>`to_jsonb(feed_runs)`.as("run"))
        .whereRef("feed_runs.feed_id", "=", "feeds.id")
        .orderBy("feed_runs.id", "desc")
        .limit(1)
        .as("last_run"),
      sql<boolean>`(
        SELECT count(*) = ${FAILED_RUNS_FOR_ALERT} AND bool_and(recent.status = 'failed')
        FROM (SELECT status FROM feed_runs WHERE feed_id = feeds.id AND status <> 'running' ORDER BY id DESC LIMIT ${FAILED_RUNS_FOR_ALERT}) AS recent
      )`.as("failing"),
      // A held file still waiting for a person: the newest such import.
      sql<string | null>`(
        SELECT run.import_id FROM feed_runs AS run JOIN imports ON imports.id = run.import_id
        WHERE run.feed_id = feeds.id AND run.status = 'held' AND imports.status = 'review'
        ORDER BY run.id DESC LIMIT 1
      )::text`.as("waiting_import_id"),
    ]);
}

/** A run read back from to_jsonb has its times as text. */
function runFromJson(run: FeedRunRow | null): FeedRunRow | null {
  if (!run) return null;
  const date = (value: unknown) => (value === null ? null : new Date(value as string));
  return {
    ...run,
    id: String(run.id),
    feed_id: String(run.feed_id),
    import_id: run.import_id === null ? null : String(run.import_id),
    bytes: run.bytes === null ? null : String(run.bytes),
    started_at: date(run.started_at)!,
    finished_at: date(run.finished_at),
    heartbeat_at: date(run.heartbeat_at)!,
  };
}

const withRuns = (row: FeedRow & { last_run: FeedRunRow | null; failing: boolean | null; waiting_import_id: string | null }): FeedWithRuns => ({
  ...row,
  last_run: runFromJson(row.last_run),
  failing: row.failing ?? false,
});

export async function listFeeds(db: Kysely<Database>): Promise<FeedWithRuns[]> {
  return (await feedsWithRuns(db).orderBy("feeds.id").execute()).map(withRuns);
}

export async function findFeed(db: Kysely<Database>, id: string): Promise<FeedWithRuns | undefined> {
  const row = await feedsWithRuns(db).where("feeds.id", "=", id).executeTakeFirst();
  return row && withRuns(row);
}

export function insertFeed(db: Kysely<Database>, values: Insertable<FeedsTable>) {
  return db.insertInto("feeds").values(values).returning("id").executeTakeFirstOrThrow();
}

export function updateFeedRow(db: Kysely<Database>, id: string, changes: Updateable<FeedsTable>) {
  return db
    .updateTable("feeds")
    .set({ ...changes, updated_at: sql`now()` })
    .where("id", "=", id)
    .returning("id")
    .executeTakeFirst();
}

export function deleteFeedRow(db: Kysely<Database>, id: string) {
  return db.deleteFrom("feeds").where("id", "=", id).returning("id").executeTakeFirst();
}

/** The feeds whose time has come (or passed while no worker ran), oldest first. */
export function dueFeeds(db: Kysely<Database>, limit: number) {
  return db
    .selectFrom("feeds")
    .select(["id", "schedule", "next_run_at"])
    .where("enabled", "=", true)
    .where("next_run_at", "<=", sql<Date>`now()`)
    .orderBy("next_run_at")
    .limit(limit)
    .execute();
}

/**
 * Moves a feed's next run on if it is still due: true for the one process that did. Another
 * process moving it at the same time waits for this row, then finds it no longer due.
 */
export async function advanceSchedule(db: Kysely<Database>, id: string, next: Date): Promise<boolean> {
  const moved = await db
    .updateTable("feeds")
    .set({ next_run_at: next })
    .where("id", "=", id)
    .where("enabled", "=", true)
    .where("next_run_at", "<=", sql<Date>`now()`)
    .returning("id")
    .executeTakeFirst();
  return Boolean(moved);
}

/** A new running run, or null when the feed already has one (across every process: feed_runs_one_running). */
export async function insertRun(db: Kysely<Database>, feedId: string, trigger: FeedRunsTable["trigger"]): Promise<FeedRunRow | null> {
  try {
    return await db.insertInto("feed_runs").values({ feed_id: feedId, status: "running", trigger }).returningAll().executeTakeFirstOrThrow();
  } catch (error) {
    if (isPgError(error, "uniqueViolation")) return null;
    throw error;
  }
}

export function findRun(db: Kysely<Database>, id: string) {
  return db.selectFrom("feed_runs").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function setRunJob(db: Kysely<Database>, id: string, jobId: string): Promise<void> {
  await db.updateTable("feed_runs").set({ job_id: jobId }).where("id", "=", id).execute();
}

export async function beatRun(db: Kysely<Database>, id: string, progress: { tries?: number; importId?: string | null } = {}): Promise<void> {
  await db
    .updateTable("feed_runs")
    .set({
      heartbeat_at: sql`now()`,
      ...(progress.tries !== undefined ? { tries: progress.tries } : {}),
      ...(progress.importId !== undefined ? { import_id: progress.importId } : {}),
    })
    .where("id", "=", id)
    .where("status", "=", "running")
    .execute();
}

export interface RunEnd {
  status: Exclude<FeedRunStatus, "running">;
  reason?: string | null;
  importId?: string | null;
  bytes?: number | null;
  sourceVersion?: SourceVersion | null;
}

/** Ends a running run; null when it had ended already (failed as orphaned, say). */
export function finishRun(db: Kysely<Database>, id: string, end: RunEnd) {
  return db
    .updateTable("feed_runs")
    .set({
      status: end.status,
      finished_at: sql`now()`,
      reason: end.reason ?? null,
      ...(end.importId !== undefined ? { import_id: end.importId } : {}),
      ...(end.bytes !== undefined ? { bytes: end.bytes } : {}),
      ...(end.sourceVersion ? { source_version: JSON.stringify(end.sourceVersion) } : {}),
    })
    .where("id", "=", id)
    .where("status", "=", "running")
    .returningAll()
    .executeTakeFirst();
}

export async function listRuns(db: Kysely<Database>, feedId: string, page: number, pageSize: number) {
  const [items, total] = await Promise.all([
    db
      .selectFrom("feed_runs")
      .selectAll()
      .where("feed_id", "=", feedId)
      .orderBy("id", "desc")
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    db
      .selectFrom("feed_runs")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .where("feed_id", "=", feedId)
      .executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}

/**
 * The version of the source's file the catalog has (or has waiting in review): the last run that
 * brought a file in, unless its held import was discarded since, so a discarded file is fetched
 * again. Null: fetch without conditions.
 */
export async function importedVersion(db: Kysely<Database>, feedId: string): Promise<SourceVersion | null> {
  const row = await db
    .selectFrom("feed_runs")
    .leftJoin("imports", "imports.id", "feed_runs.import_id")
    .select("feed_runs.source_version")
    .where("feed_runs.feed_id", "=", feedId)
    .where("feed_runs.status", "in", ["applied", "held"])
    .where("feed_runs.source_version", "is not", null)
    .where((eb) => eb.or([eb("imports.status", "in", ["review", "queued", "processing", "completed"]), eb("imports.id", "is", null)]))
    .orderBy("feed_runs.id", "desc")
    .limit(1)
    .executeTakeFirst();
  return row?.source_version ?? null;
}

/** An import still on its way: a run that made it ends when it settles. */
const MOVING = ["uploading", "queued", "processing"];

/**
 * Ends runs whose worker stopped without ending them (the process was killed): their heartbeat
 * went quiet for `quietSeconds` and their job is not waiting in the queue. A run whose import went
 * on without it ends as that import did (applied, or held with its reason); one whose import is
 * still moving waits for it; the others fail with the reason. Returns the runs ended.
 */
export async function endOrphanedRuns(db: Kysely<Database>, quietSeconds: number, queue: string, reason: string) {
  const { rows } = await sql<{ id: string; feed_id: string; status: FeedRunStatus; reason: string | null }>`
    UPDATE feed_runs AS run SET
      status = CASE WHEN imports.status = 'completed' THEN 'applied' WHEN imports.status = 'review' THEN 'held' ELSE 'failed' END,
      reason = CASE WHEN imports.status = 'completed' THEN NULL WHEN imports.status = 'review' THEN imports.held_reason ELSE ${reason} END,
      finished_at = now()
    FROM feed_runs AS orphan LEFT JOIN imports ON imports.id = orphan.import_id
    WHERE run.id = orphan.id
      AND run.status = 'running'
      AND run.heartbeat_at < now() - make_interval(secs => ${quietSeconds})
      AND (imports.id IS NULL OR imports.status <> ALL(${MOVING}::text[]))
      AND NOT EXISTS (
        SELECT 1 FROM ${sql.table(`${JOB_QUEUE_SCHEMA}.job`)} AS job
        WHERE job.name = ${queue} AND job.id = run.job_id AND job.state IN ('created', 'retry'))
    RETURNING run.id::text AS id, run.feed_id::text AS feed_id, run.status, run.reason`.execute(db);
  return rows;
}
