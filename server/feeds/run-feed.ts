import { setTimeout as sleep } from "node:timers/promises";
import type { SourceVersion } from "../../db/schema.js";
import { recordEvent } from "../events/events.table.js";
import type { Logger } from "../logger.js";
import { Refusal } from "../refusal.js";
import type { ImportScheduler } from "../imports/import-queue.js";
import { findImport, type ImportRow } from "../imports/imports.table.js";
import { isTerminal } from "../imports/import-status.js";
import { receiveUpload, type UploadDeps } from "../imports/upload/receive-upload.js";
import { MAX_TRIES, TRIES_WITHIN_MS, type FeedSettings } from "./feed-settings.js";
import { DEFAULT_GUARD } from "./feed.schema.js";
import { uploadOptionsOf } from "./feeds.js";
import { beatRun, findFeed, findRun, finishRun, importedVersion, type FeedWithRuns } from "./feeds.table.js";
import { SourceFailed, SourceRefused, type FetchedFile } from "./sources/fetched-file.js";
import { askSource } from "./feed-source.js";

export interface FeedRunDeps extends UploadDeps {
  imports: ImportScheduler;
  settings: FeedSettings;
  log: Logger;
}

const HEARTBEAT_MS = 10_000;
const IMPORT_POLL_MS = 200;

/** A try's outcome: the file is the one the catalog has, or it was staged (queued with the guard). */
type Fetched = { unchanged: true; version: SourceVersion } | { unchanged: false; staged: ImportRow; bytes: number; version: SourceVersion };

class RunFailed extends Error {
  constructor(
    message: string,
    readonly importId: string | null,
  ) {
    super(message);
  }
}

const sourceOf = (feed: FeedWithRuns) => ({
  url: feed.url,
  headers: feed.headers,
  username: feed.username,
  password: feed.password,
  privateKey: feed.private_key,
});

/**
 * The file into the import pipeline exactly as an upload's bytes go, queued with the feed's guard:
 * its merge commits only within every limit (the guard is the team's consent given in advance, a
 * large sync's confirmation included), else it is rolled back and held in review.
 */
async function stageFile(deps: FeedRunDeps, feed: FeedWithRuns, file: FetchedFile): Promise<ImportRow> {
  const options = uploadOptionsOf(feed.options);
  const received = receiveUpload(deps, {
    filename: file.filename,
    contentType: file.contentType,
    maxBytes: deps.settings.maxBytes,
    reading: options.reading,
    mapping: options.mapping,
    applying: { ...options.applying, review: false, confirmLargeSync: true },
    feedId: feed.id,
    guard: { ...DEFAULT_GUARD, ...feed.guard },
  });
  file.body.on("error", (error) => received.abort(error instanceof Refusal ? error : new Refusal("invalid", error.message)));
  file.body.pipe(received.sink);
  try {
    return await received.done;
  } catch (error) {
    file.body.destroy();
    throw Object.assign(error as Error, { importId: received.importId() });
  }
}

async function oneTry(deps: FeedRunDeps, feed: FeedWithRuns): Promise<Fetched> {
  const answer = await askSource(sourceOf(feed), await importedVersion(deps.db, feed.id), deps.settings);
  if (answer.unchanged) return answer;
  const staged = await stageFile(deps, feed, answer.file);
  return { unchanged: false, staged, bytes: answer.file.bytesRead(), version: answer.file.version };
}

function reasonOf(error: unknown): string {
  if (error instanceof SourceFailed || error instanceof Refusal) return error.message;
  return `The file could not be fetched or read because of a server problem (${(error as Error).message}).`;
}

/** Up to MAX_TRIES tries, with the settings' delays between them, all started within TRIES_WITHIN_MS. */
async function fetchWithRetries(deps: FeedRunDeps, feed: FeedWithRuns, runId: string): Promise<Fetched> {
  const started = Date.now();
  for (let attempt = 1; ; attempt += 1) {
    await beatRun(deps.db, runId, { tries: attempt });
    try {
      return await oneTry(deps, feed);
    } catch (error) {
      const importId = (error as { importId?: string | null }).importId ?? null;
      if (importId) await beatRun(deps.db, runId, { importId });
      const reason = reasonOf(error);
      const delay = deps.settings.retryDelaysMs[attempt - 1];
      const final = error instanceof SourceRefused || attempt >= MAX_TRIES || delay === undefined || Date.now() - started + delay > TRIES_WITHIN_MS;
      if (!(error instanceof SourceFailed) && !(error instanceof Refusal))
        deps.log.warn({ err: error, feedId: feed.id, runId }, "feed run try failed");
      if (final) {
        const seconds = (Date.now() - started) / 1000;
        const tries = attempt === 1 ? "" : ` (${attempt} tries over ${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s)`;
        throw new RunFailed(`${reason.replace(/\.$/, "")}${tries}.`, importId);
      }
      await sleep(delay);
    }
  }
}

/** Waits for the import's merge (any worker's): applied, held past the guard, or ended otherwise. */
async function importOutcome(deps: FeedRunDeps, id: string): Promise<ImportRow | undefined> {
  for (;;) {
    const row = await findImport(deps.db, id);
    if (!row || isTerminal(row.status) || row.status === "review") return row;
    await sleep(IMPORT_POLL_MS);
  }
}

async function fail(deps: FeedRunDeps, feed: FeedWithRuns, runId: string, error: RunFailed): Promise<void> {
  await deps.db.transaction().execute(async (tx) => {
    const ended = await finishRun(tx, runId, { status: "failed", reason: error.message, importId: error.importId });
    if (ended) await recordEvent(tx, "feed.failed", { feedId: feed.id, name: feed.name, url: feed.url, runId, reason: error.message });
  });
}

/**
 * One run of a feed: fetch (unless the source says the file is the one the catalog has), stage it
 * with the feed's guard, and wait for its merge. Within every limit it commits (`applied`); past
 * one it is rolled back and stays in review for a person, with the reason and an `import.held`
 * event (`held`). A run that cannot get a usable file fails with `feed.failed`.
 */
export async function runFeed(deps: FeedRunDeps, runId: string): Promise<void> {
  const run = await findRun(deps.db, runId);
  if (!run || run.status !== "running") return;
  const feed = await findFeed(deps.db, run.feed_id);
  if (!feed) return;
  const heartbeat = setInterval(() => void beatRun(deps.db, runId).catch(() => {}), HEARTBEAT_MS);
  try {
    let fetched: Fetched;
    try {
      fetched = await fetchWithRetries(deps, feed, runId);
    } catch (error) {
      if (!(error instanceof RunFailed)) throw error;
      await fail(deps, feed, runId, error);
      return;
    }
    if (fetched.unchanged) {
      await finishRun(deps.db, runId, { status: "unchanged", sourceVersion: fetched.version });
      return;
    }
    const { staged, bytes, version } = fetched;
    const ended = { importId: staged.id, bytes, sourceVersion: version };
    // Known before waiting: should this process die meanwhile, the run ends as its import does.
    await beatRun(deps.db, runId, { importId: staged.id });
    await deps.imports.requestApply();
    const outcome = await importOutcome(deps, staged.id);
    if (!outcome) await fail(deps, feed, runId, new RunFailed("The import it made was deleted before it was applied.", null));
    else if (outcome.status === "completed") await finishRun(deps.db, runId, { status: "applied", ...ended });
    else if (outcome.status === "review") await finishRun(deps.db, runId, { status: "held", reason: outcome.held_reason, ...ended });
    else
      await fail(
        deps,
        feed,
        runId,
        new RunFailed(
          `The import ${outcome.status === "failed" ? "failed" : `was ${outcome.status}`}: ${outcome.error ?? "no reason given"}`,
          staged.id,
        ),
      );
  } catch (error) {
    deps.log.error({ err: error, feedId: feed.id, runId }, "feed run failed");
    await fail(deps, feed, runId, new RunFailed(reasonOf(error), null)).catch(() => {});
  } finally {
    clearInterval(heartbeat);
  }
}
