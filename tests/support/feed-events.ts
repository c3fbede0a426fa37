import type { ProductImporterClient } from "../../server/web/client.js";
import { startFileServer } from "./file-server.js";
import type { TestApp } from "./test-app.js";
import { waitUntil } from "./wait.js";

/** "Run now", then the run once it has ended (applied, unchanged, held or failed). */
export async function runFeedToEnd(api: ProductImporterClient, feedId: string, timeoutMs = 30_000) {
  const run = await api.feeds.run.mutate({ id: feedId });
  return waitUntil(
    `run ${run.id} of feed ${feedId} to end`,
    async () => {
      const found = (await api.feeds.runs.query({ id: feedId })).items.find((item) => item.id === run.id);
      return found && found.status !== "running" ? found : false;
    },
    timeoutMs,
  );
}

/** What an app needs to reach a feed source on loopback, and to give up on a failing one quickly. */
export const FEEDS_ON_LOOPBACK = { FEED_ALLOW_PRIVATE_NETWORKS: "1", FEED_RETRY_DELAYS: "0.1,0.1" } as const;

/**
 * Records a feed's two events: `import.held` (a file with a fifth of its rows rejected) and
 * `feed.failed` (a source answering 404). The app must have FEEDS_ON_LOOPBACK.
 */
export async function recordFeedEvents(app: TestApp): Promise<{ heldImportId: string; failedFeedId: string }> {
  const source = await startFileServer();
  try {
    source.serve("/held.csv", {
      body: "sku,name,price\nfeed-1,Fed,1.00\nfeed-2,Fed too,lots\nfeed-3,Fed three,3.00\nfeed-4,Four,4.00\nfeed-5,Five,5.00\n",
    });
    const held = await app.api.feeds.create.mutate({ name: "Held", url: source.url("/held.csv"), schedule: "@daily" });
    const failed = await app.api.feeds.create.mutate({ name: "Gone", url: source.url("/gone.csv"), schedule: "@daily" });
    await app.api.feeds.run.mutate({ id: held.id });
    await app.api.feeds.run.mutate({ id: failed.id });
    const ended = async (id: string) => {
      const last = (await app.api.feeds.get.query({ id })).lastRun;
      return last && last.status !== "running" ? last : false;
    };
    const heldRun = await waitUntil("the held feed's run to end", () => ended(held.id), 20_000);
    await waitUntil("the failing feed's run to end", () => ended(failed.id), 20_000);
    return { heldImportId: heldRun.importId!, failedFeedId: failed.id };
  } finally {
    await source.close();
  }
}
