import type { SourceVersion } from "../../db/schema.js";
import type { FeedSettings } from "./feed-settings.js";
import type { SourceAnswer } from "./sources/fetched-file.js";
import { fetchHttp } from "./sources/http-source.js";
import { fetchSftp } from "./sources/sftp-source.js";

/** Where a feed's file is and how to log in: what a run, or the form's sample, asks. */
export interface FeedSource {
  url: string;
  headers: Record<string, string>;
  username: string | null;
  password: string | null;
  privateKey: string | null;
}

/** Asks the source for its file (conditionally, given the version the catalog has). */
export function askSource(source: FeedSource, previous: SourceVersion | null, settings: FeedSettings): Promise<SourceAnswer> {
  if (source.url.startsWith("sftp:")) return fetchSftp(source, previous, settings);
  return fetchHttp(source, previous, settings);
}
