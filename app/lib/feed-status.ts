import type { FeedRunJson } from "../../server/feeds/feed-json";

/** A run's outcome in words, and the badge colour the import statuses already use for the same meaning. */
export const RUN_STATUS: Record<FeedRunJson["status"], { label: string; badge: string }> = {
  running: { label: "Running", badge: "processing" },
  unchanged: { label: "Unchanged", badge: "reverted" },
  applied: { label: "Applied", badge: "completed" },
  held: { label: "Held for review", badge: "review" },
  failed: { label: "Failed", badge: "failed" },
};
