import type { Kysely } from "kysely";
import type { Readable } from "node:stream";
import type { Database } from "../../db/schema.js";
import { SAMPLE_BYTES } from "../files/dialect.schema.js";
import { Refusal } from "../refusal.js";
import { inspectFile, type Inspection } from "../imports/upload/inspect-file.js";
import type { FeedSettings } from "./feed-settings.js";
import { askSource, type FeedSource } from "./feed-source.js";
import { assertReachable, FeedNotFound, uploadOptionsOf } from "./feeds.js";
import type { FeedOptions } from "../../db/schema.js";
import { SourceFailed } from "./sources/fetched-file.js";
import type { FeedInspectInput } from "./feed.schema.js";
import { findFeed } from "./feeds.table.js";
import { readSourceUrl } from "./source-url.js";

/** The first `limit` bytes of a stream, and whether that was all of it; the rest is never read. */
async function firstBytes(body: Readable, limit: number): Promise<{ bytes: Buffer; whole: boolean }> {
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      length += chunk.length;
      if (length >= limit) return { bytes: Buffer.concat(chunks).subarray(0, limit), whole: false };
    }
    return { bytes: Buffer.concat(chunks), whole: true };
  } finally {
    body.destroy();
  }
}

/**
 * What a feed's file will be read as, from its source's first 64 KB (a gzip's unpacked, a zip's
 * first file): the same inspection an upload's sample gets, so the feed form can show the columns
 * and let a person map them before the first run.
 */
export async function inspectSource(db: Kysely<Database>, settings: FeedSettings, source: FeedSource, options: FeedOptions): Promise<Inspection> {
  const { reading, mapping } = uploadOptionsOf(options);
  let sample: { bytes: Buffer; whole: boolean };
  let filename: string;
  try {
    const answer = await askSource(source, null, settings);
    if (answer.unchanged) throw new SourceFailed("The source answered that the file has not changed, without sending it.");
    filename = answer.file.filename;
    sample = await firstBytes(answer.file.body, SAMPLE_BYTES);
  } catch (error) {
    if (error instanceof SourceFailed) throw new Refusal("invalid", `The source's file could not be read: ${error.message}`, { field: "url" });
    throw error;
  }
  return inspectFile(db, { sample: sample.bytes, filename, wholeFile: sample.whole, reading, mapping });
}

const given = (value: string | null | undefined) => (value ? value : null);

/** feeds.inspect: the source as the form has it, a saved feed's secrets standing in for blank fields. */
export async function inspectFeedSource(db: Kysely<Database>, settings: FeedSettings, input: FeedInspectInput): Promise<Inspection> {
  const saved = input.id ? await findFeed(db, input.id) : undefined;
  if (input.id && !saved) throw new FeedNotFound(input.id);
  const source = readSourceUrl(input.url);
  await assertReachable(source.url, settings);
  return inspectSource(
    db,
    settings,
    {
      url: source.url,
      headers: input.headers && Object.keys(input.headers).length ? input.headers : (saved?.headers ?? {}),
      username: given(input.username) ?? source.username ?? saved?.username ?? null,
      password: given(input.password) ?? source.password ?? saved?.password ?? null,
      privateKey: given(input.privateKey) ?? saved?.private_key ?? null,
    },
    input.options as FeedOptions,
  );
}
