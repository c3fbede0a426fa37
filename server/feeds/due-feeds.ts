import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.js";
import type { Logger } from "../logger.js";
import { nextRunAfter } from "./feed-schedule.js";
import { recordEvent } from "../events/events.table.js";
import { advanceSchedule, dueFeeds, endOrphanedRuns, findFeed, insertRun } from "./feeds.table.js";

/** pg-boss's queues for feeds: a tick every minute from its own scheduler, and one job per run. */
export const FEED_TICK_QUEUE = "feeds.tick";
export const FEED_RUN_QUEUE = "feeds.run";
/** The tick's cron: every minute, so a feed runs within a minute of its time. */
export const FEED_TICK_CRON = "* * * * *";

/** A running run whose heartbeat is this quiet, and whose job is not waiting, lost its worker. */
const ORPHANED_AFTER_SECONDS = 60;
const WORKER_LOST = "The process running it stopped before it finished; the next run fetches the file again.";

/** Ends the runs whose process died: as their import went on without them, or failed with `feed.failed`. */
async function endOrphans(db: Kysely<Database>, log: Logger): Promise<void> {
  for (const orphan of await endOrphanedRuns(db, ORPHANED_AFTER_SECONDS, FEED_RUN_QUEUE, WORKER_LOST)) {
    log.warn({ runId: orphan.id, feedId: orphan.feed_id, status: orphan.status }, "a feed run lost its worker; ended");
    const feed = orphan.status === "failed" ? await findFeed(db, orphan.feed_id) : undefined;
    if (feed)
      await recordEvent(db, "feed.failed", {
        feedId: feed.id,
        name: feed.name,
        url: feed.url,
        runId: orphan.id,
        reason: orphan.reason ?? WORKER_LOST,
      });
  }
}
const DUE_PER_TICK = 100;

/**
 * Starts a run of every enabled feed whose time has come, and moves its next run on: a time missed
 * while no worker ran (the app was down) gives one run, not one per missed time. Two processes
 * ticking at once start each run once (only one moves the schedule on, and a feed has at most one
 * running run). A feed still running is not started again; its schedule moves on.
 */
export async function startDueFeeds(db: Kysely<Database>, startRun: (runId: string) => Promise<void>, log: Logger): Promise<number> {
  await endOrphans(db, log);
  let started = 0;
  const now = new Date();
  for (const feed of await dueFeeds(db, DUE_PER_TICK)) {
    let next: Date;
    try {
      next = nextRunAfter(feed.schedule, now);
    } catch {
      continue;
    }
    if (!(await advanceSchedule(db, feed.id, next))) continue;
    const run = await insertRun(db, feed.id, "schedule");
    if (!run) continue;
    await startRun(run.id);
    started += 1;
  }
  return started;
}
