import { DEFAULT_GUARD } from "./feed.schema.js";
import type { FeedRunRow, FeedWithRuns } from "./feeds.table.js";

/** CONTRACT.md's FeedRun. */
export function toFeedRunJson(row: FeedRunRow) {
  return {
    id: row.id,
    feedId: row.feed_id,
    status: row.status,
    trigger: row.trigger,
    startedAt: row.started_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
    importId: row.import_id,
    bytes: row.bytes === null ? null : Number(row.bytes),
    tries: row.tries,
    reason: row.reason,
  };
}
export type FeedRunJson = ReturnType<typeof toFeedRunJson>;

/** CONTRACT.md's Feed: header values, the password and the key are never given back, only that they are set. */
export function toFeedJson(row: FeedWithRuns) {
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    headerNames: Object.keys(row.headers),
    username: row.username,
    hasPassword: row.password !== null,
    hasPrivateKey: row.private_key !== null,
    schedule: row.schedule,
    enabled: row.enabled,
    options: row.options,
    guard: { ...DEFAULT_GUARD, ...row.guard },
    nextRunAt: row.enabled ? (row.next_run_at?.toISOString() ?? null) : null,
    lastRun: row.last_run ? toFeedRunJson(row.last_run) : null,
    failing: row.failing,
    /** The import a held run left in review, while it waits for a person. */
    waitingImportId: row.waiting_import_id,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
export type FeedJson = ReturnType<typeof toFeedJson>;
