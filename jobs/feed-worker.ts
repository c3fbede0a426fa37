import type { JobQueue } from "./job-queue.js";
import { FEED_RUN_QUEUE, FEED_TICK_CRON, FEED_TICK_QUEUE, startDueFeeds } from "../server/feeds/due-feeds.js";
import { runFeed, type FeedRunDeps } from "../server/feeds/run-feed.js";
import { setRunJob } from "../server/feeds/feeds.table.js";

const RUNS_AT_ONCE = 2;

/**
 * The one way a feed run is handed to a worker: "Run now" and the schedule's tick. When this
 * process runs feed workers, they are woken at once instead of at their next poll.
 */
export function feedRunStarter(boss: JobQueue, deps: Pick<FeedRunDeps, "db">) {
  let local: FeedWorker | undefined;
  const start = async (runId: string) => {
    const jobId = await boss.send(FEED_RUN_QUEUE, { runId });
    if (jobId) await setRunJob(deps.db, runId, jobId);
    local?.nudge();
  };
  return Object.assign(start, { wake: (worker: FeedWorker) => (local = worker) });
}

export interface FeedWorker {
  nudge(): void;
  stop(): Promise<void>;
}

/**
 * Works feed runs (two at a time per process) and pg-boss's minute tick, which starts the feeds
 * whose time has come. A tick at start-up catches up on a run missed while the app was down.
 */
export async function startFeedWorker(boss: JobQueue, deps: FeedRunDeps, startRun: (runId: string) => Promise<void>): Promise<FeedWorker> {
  const tick = () => startDueFeeds(deps.db, startRun, deps.log);
  await boss.schedule(FEED_TICK_QUEUE, FEED_TICK_CRON, {}, { tz: "UTC" });
  await boss.work(FEED_TICK_QUEUE, { pollingIntervalSeconds: 5 }, async () => {
    await tick();
  });
  const workers: string[] = [];
  for (let i = 0; i < RUNS_AT_ONCE; i += 1) {
    const id = await boss.work<{ runId: string }>(FEED_RUN_QUEUE, { batchSize: 1, pollingIntervalSeconds: 1 }, async ([job]) => {
      // A run ends itself, failed or not: the job never fails, so pg-boss does not run it twice.
      await runFeed(deps, job!.data.runId).catch((error: unknown) => deps.log.error({ err: error, runId: job!.data.runId }, "feed run crashed"));
    });
    workers.push(id);
  }
  void tick().catch((error: unknown) => deps.log.warn({ err: error }, "the start-up feed tick failed; the next tick tries again"));
  return {
    nudge: () => workers.forEach((id) => boss.notifyWorker(id)),
    async stop() {
      await boss.offWork(FEED_TICK_QUEUE);
      await boss.offWork(FEED_RUN_QUEUE);
    },
  };
}
