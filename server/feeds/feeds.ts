import type { Kysely, Updateable } from "kysely";
import ssh2 from "ssh2";
import type { Database, FeedOptions, FeedsTable } from "../../db/schema.js";
import { publicAddressesOf, TargetRefused } from "../http/address-guard.js";
import { Refusal } from "../refusal.js";
import { parseUploadOptions } from "../imports/upload/upload-options.js";
import type { UploadOptionName, UploadOptions } from "../imports/import.schema.js";
import type { FeedCreateInput, FeedUpdateInput } from "./feed.schema.js";
import { toFeedJson, toFeedRunJson } from "./feed-json.js";
import { nextRunAfter } from "./feed-schedule.js";
import { FEED_RULE, type FeedSettings } from "./feed-settings.js";
import { deleteFeedRow, findFeed, insertFeed, insertRun, updateFeedRow, type FeedRow } from "./feeds.table.js";
import { readSourceUrl } from "./source-url.js";

export interface FeedDeps {
  db: Kysely<Database>;
  settings: FeedSettings;
  /** Hands a new run to a worker (a pg-boss job). */
  startRun: (runId: string) => Promise<void>;
}

export class FeedNotFound extends Refusal {
  constructor(id: string) {
    super("not_found", `Feed ${id} does not exist (it may have been deleted).`);
  }
}

/** The options as an upload would take them: the same checks, each problem named as the feed's option. */
export function uploadOptionsOf(options: FeedOptions): UploadOptions {
  const given: Partial<Record<UploadOptionName, string>> = { review: "1" };
  for (const [name, value] of Object.entries(options)) {
    if (value === undefined || value === null) continue;
    given[name as UploadOptionName] = typeof value === "string" ? value : JSON.stringify(value);
  }
  try {
    return parseUploadOptions(given);
  } catch (error) {
    if (error instanceof Refusal) throw new Refusal("invalid", `options: ${error.message}`, { field: `options.${error.field ?? ""}` });
    throw error;
  }
}

/** What is stored of the options: as given, a mapping as an object, blanks left out. */
function storedOptions(options: FeedCreateInput["options"]): FeedOptions {
  uploadOptionsOf(options as FeedOptions);
  const kept: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(options)) {
    if (value === undefined || value === "") continue;
    kept[name] = name === "mapping" && typeof value === "string" ? (JSON.parse(value) as unknown) : value;
  }
  return kept as FeedOptions;
}

/** Checked when saved and again on every connection (DNS can change in between). */
export async function assertReachable(url: string, settings: FeedSettings): Promise<void> {
  if (settings.allowPrivateNetworks) return;
  try {
    await publicAddressesOf(new URL(url).hostname, FEED_RULE);
  } catch (error) {
    if (error instanceof TargetRefused) throw new Refusal("invalid", `URL: ${error.message}.`, { field: "url" });
    throw error;
  }
}

function assertPrivateKey(key: string | null | undefined): void {
  if (!key) return;
  const parsed = ssh2.utils.parseKey(key);
  if (parsed instanceof Error) {
    throw new Refusal("invalid", `Private key cannot be read (${parsed.message}); paste an unencrypted OpenSSH or PEM private key.`, {
      field: "privateKey",
    });
  }
}

/** A feed's source with its credentials, complete enough to be fetched. */
function assertCredentials(scheme: "http" | "sftp", feed: Pick<FeedRow, "username" | "password" | "private_key">): void {
  if (scheme === "sftp" && !feed.username) {
    throw new Refusal("invalid", "User: an sftp:// source needs the user name to log in with.", { field: "username" });
  }
  if (scheme === "sftp" && !feed.password && !feed.private_key) {
    throw new Refusal("invalid", "Password: an sftp:// source needs a password or a private key to log in with.", { field: "password" });
  }
  if (scheme === "http" && feed.private_key) {
    throw new Refusal(
      "invalid",
      "Private key: only an sftp:// source logs in with a key; an http(s) source takes a password or an Authorization header.",
      {
        field: "privateKey",
      },
    );
  }
  if (scheme === "http" && feed.password && !feed.username) {
    throw new Refusal("invalid", "User: a password for an http(s) source is sent as basic auth, with a user name.", { field: "username" });
  }
}

const blankToNull = (value: string | null | undefined) => (value === undefined ? undefined : value === null || value === "" ? null : value);

export async function createFeed(deps: FeedDeps, input: FeedCreateInput) {
  const source = readSourceUrl(input.url);
  const next = nextRunAfter(input.schedule, new Date());
  const values = {
    username: blankToNull(input.username) ?? source.username ?? null,
    password: blankToNull(input.password) ?? source.password ?? null,
    private_key: blankToNull(input.privateKey) ?? null,
  };
  assertCredentials(source.scheme, values);
  assertPrivateKey(values.private_key);
  const options = storedOptions(input.options);
  await assertReachable(source.url, deps.settings);
  const { id } = await insertFeed(deps.db, {
    name: input.name,
    url: source.url,
    headers: JSON.stringify(input.headers ?? {}),
    ...values,
    schedule: input.schedule,
    enabled: input.enabled,
    options: JSON.stringify(options),
    guard: JSON.stringify(input.guard),
    next_run_at: next,
  });
  return getFeed(deps.db, id);
}

export async function updateFeed(deps: FeedDeps, input: FeedUpdateInput) {
  const current = await findFeed(deps.db, input.id);
  if (!current) throw new FeedNotFound(input.id);
  const changes: Updateable<FeedsTable> = {};
  const source = readSourceUrl(input.url ?? current.url);
  if (input.url !== undefined) {
    changes.url = source.url;
    if (source.username) changes.username = source.username;
    if (source.password) changes.password = source.password;
  }
  if (input.name !== undefined) changes.name = input.name;
  if (input.headers !== undefined) changes.headers = JSON.stringify(input.headers);
  if (input.username !== undefined) changes.username = blankToNull(input.username);
  // A blank password in a form means "keep it"; null through the API removes it.
  if (input.password !== undefined && input.password !== "") changes.password = input.password;
  if (input.privateKey !== undefined && input.privateKey !== "") changes.private_key = input.privateKey;
  const credentials = {
    username: changes.username !== undefined ? changes.username : current.username,
    password: changes.password !== undefined ? changes.password : current.password,
    private_key: changes.private_key !== undefined ? changes.private_key : current.private_key,
  };
  assertCredentials(source.scheme, credentials);
  assertPrivateKey(changes.private_key);
  if (input.schedule !== undefined) changes.schedule = input.schedule;
  if (input.options !== undefined) changes.options = JSON.stringify(storedOptions(input.options));
  if (input.guard !== undefined) changes.guard = JSON.stringify(input.guard);
  if (input.enabled !== undefined) changes.enabled = input.enabled;
  // A new schedule, or a feed switched back on, counts from now: no run is owed for the time it was off.
  if (input.schedule !== undefined || (input.enabled && !current.enabled)) {
    changes.next_run_at = nextRunAfter(input.schedule ?? current.schedule, new Date());
  }
  if (input.url !== undefined) await assertReachable(source.url, deps.settings);
  if (!(await updateFeedRow(deps.db, input.id, changes))) throw new FeedNotFound(input.id);
  return getFeed(deps.db, input.id);
}

export async function getFeed(db: Kysely<Database>, id: string) {
  const feed = await findFeed(db, id);
  if (!feed) throw new FeedNotFound(id);
  return toFeedJson(feed);
}

export async function deleteFeed(db: Kysely<Database>, id: string) {
  if (!(await deleteFeedRow(db, id))) throw new FeedNotFound(id);
  return { id };
}

/** "Run now": a run starts at once unless one is going, which is then named. */
export async function runFeedNow(deps: FeedDeps, id: string) {
  const feed = await findFeed(deps.db, id);
  if (!feed) throw new FeedNotFound(id);
  const run = await insertRun(deps.db, id, "manual");
  if (!run) {
    const going = feed.last_run?.status === "running" ? ` (run ${feed.last_run.id}, started ${feed.last_run.started_at.toISOString()})` : "";
    throw new Refusal("conflict", `Feed "${feed.name}" is running already${going}; one run at a time. Wait until it ends.`);
  }
  await deps.startRun(run.id);
  return toFeedRunJson(run);
}
