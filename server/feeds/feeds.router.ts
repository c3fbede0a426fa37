import { z } from "zod";
import { publicProcedure, router } from "../trpc/trpc.js";
import { feedCreateInput, feedIdInput, feedInspectInput, feedRunsInput, feedUpdateInput } from "./feed.schema.js";
import { inspectFeedSource } from "./feed-sample.js";
import { toFeedJson, toFeedRunJson } from "./feed-json.js";
import type { FeedSettings } from "./feed-settings.js";
import { createFeed, deleteFeed, FeedNotFound, getFeed, runFeedNow, updateFeed } from "./feeds.js";
import { findFeed, listFeeds, listRuns } from "./feeds.table.js";

declare module "../trpc/trpc.js" {
  interface ApiPorts {
    feedSettings: FeedSettings;
    /** Hands a new feed run to a worker. */
    startFeedRun: (runId: string) => Promise<void>;
  }
}

export const feedsRouter = router({
  list: publicProcedure.input(z.object({}).passthrough().default({})).query(async ({ ctx }) => (await listFeeds(ctx.db)).map(toFeedJson)),
  get: publicProcedure.input(feedIdInput).query(({ ctx, input }) => getFeed(ctx.db, input.id)),
  create: publicProcedure
    .input(feedCreateInput)
    .mutation(({ ctx, input }) => createFeed({ db: ctx.db, settings: ctx.feedSettings, startRun: ctx.startFeedRun }, input)),
  update: publicProcedure
    .input(feedUpdateInput)
    .mutation(({ ctx, input }) => updateFeed({ db: ctx.db, settings: ctx.feedSettings, startRun: ctx.startFeedRun }, input)),
  delete: publicProcedure.input(feedIdInput).mutation(({ ctx, input }) => deleteFeed(ctx.db, input.id)),
  run: publicProcedure
    .input(feedIdInput)
    .mutation(({ ctx, input }) => runFeedNow({ db: ctx.db, settings: ctx.feedSettings, startRun: ctx.startFeedRun }, input.id)),
  runs: publicProcedure.input(feedRunsInput).query(async ({ ctx, input }) => {
    if (!(await findFeed(ctx.db, input.id))) throw new FeedNotFound(input.id);
    const { items, total } = await listRuns(ctx.db, input.id, input.page, input.pageSize);
    return { items: items.map(toFeedRunJson), total, page: input.page, pageSize: input.pageSize };
  }),
  /**
   * What the source's file will be read as, from its first 64 KB: the columns, the mapping a run
   * would use and the first rows (imports.inspect's answer). A mutation: it calls out to the source.
   */
  inspect: publicProcedure.input(feedInspectInput).mutation(({ ctx, input }) => inspectFeedSource(ctx.db, ctx.feedSettings, input)),
  /** Feeds whose last three runs failed, and those whose file waits in review: the header says so on every page. */
  alerts: publicProcedure.input(z.object({}).passthrough().default({})).query(async ({ ctx }) => {
    const feeds = (await listFeeds(ctx.db)).map(toFeedJson);
    return { failing: feeds.filter((feed) => feed.failing), held: feeds.filter((feed) => feed.waitingImportId !== null) };
  }),
});
