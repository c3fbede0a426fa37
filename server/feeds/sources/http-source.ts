import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { pipeline, type Transform } from "node:stream";
import zlib from "node:zlib";
import type { SourceVersion } from "../../../db/schema.js";
import { lookupPinnedTo, publicAddressesOf, TargetRefused } from "../../http/address-guard.js";
import { FEED_RULE, type FeedSettings } from "../feed-settings.js";
import { baseName, SourceRefused, NotAWebPage, SourceFailed, WatchedBytes, type SourceAnswer } from "./fetched-file.js";

export interface HttpSource {
  url: string;
  headers: Record<string, string>;
  username: string | null;
  password: string | null;
}

const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** What a redirect to another origin still carries: the app's own headers; the feed's (credentials, keys) stay with its source. */
const CROSS_ORIGIN_HEADERS = new Set(["user-agent", "accept", "accept-encoding", "if-none-match", "if-modified-since"]);

/** The connection goes only to the address checked here, resolved once, so DNS cannot change in between. */
async function checkedLookup(hostname: string, settings: FeedSettings): Promise<LookupFunction | undefined> {
  if (settings.allowPrivateNetworks) return undefined;
  try {
    const [checked] = await publicAddressesOf(hostname, FEED_RULE);
    return lookupPinnedTo(checked!);
  } catch (error) {
    if (error instanceof TargetRefused) throw new SourceRefused(`${error.message}.`);
    throw error;
  }
}

function requestHeaders(source: HttpSource, previous: SourceVersion | null): Record<string, string> {
  const headers: Record<string, string> = { "User-Agent": "product-importer-feeds", Accept: "*/*", "Accept-Encoding": "gzip, deflate, br" };
  for (const [name, value] of Object.entries(source.headers)) headers[name] = value;
  const hasAuthorization = Object.keys(source.headers).some((name) => name.toLowerCase() === "authorization");
  if (source.username && !hasAuthorization) {
    headers.Authorization = `Basic ${Buffer.from(`${source.username}:${source.password ?? ""}`).toString("base64")}`;
  }
  if (previous && "etag" in previous) {
    if (previous.etag) headers["If-None-Match"] = previous.etag;
    if (previous.lastModified) headers["If-Modified-Since"] = previous.lastModified;
  }
  return headers;
}

function get(url: URL, headers: Record<string, string>, lookup: LookupFunction | undefined, timeoutMs: number): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const client = url.protocol === "https:" ? https : http;
    const request = client.get(url, { headers, lookup, timeout: timeoutMs }, (response) => {
      // From here the body's own watch (WatchedBytes) says when the source stopped sending.
      request.setTimeout(0);
      resolve(response);
    });
    request.on("timeout", () => request.destroy(new SourceFailed(`${url.host} did not answer within ${timeoutMs / 1000} s.`)));
    request.on("error", (error) =>
      reject(error instanceof SourceFailed ? error : new SourceFailed(`${url.host} could not be reached (${describe(error)}).`)),
    );
  });
}

function describe(error: Error): string {
  const code = (error as { code?: string }).code;
  return code ? `${code}: ${error.message}` : error.message;
}

/** The file's name as the answer gives it (Content-Disposition), else the URL's last segment. */
function filenameOf(response: http.IncomingMessage, url: URL): string {
  const disposition = response.headers["content-disposition"] ?? "";
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(disposition);
  const plain = /filename\s*=\s*"?([^";]+)"?/.exec(disposition);
  if (star) return baseName(star[1]!, "feed.csv");
  if (plain) return baseName(plain[1]!, "feed.csv");
  return baseName(url.pathname, "feed.csv");
}

/** What undoes the answer's Content-Encoding, if it has one. */
function decoderFor(response: http.IncomingMessage): Transform | null {
  const encoding = (response.headers["content-encoding"] ?? "identity").toLowerCase().trim();
  if (encoding === "identity" || encoding === "") return null;
  if (encoding === "gzip" || encoding === "x-gzip") return zlib.createGunzip();
  if (encoding === "deflate") return zlib.createInflate();
  if (encoding === "br") return zlib.createBrotliDecompress();
  throw new SourceFailed(`The source sent the file with Content-Encoding: ${encoding}, which this app cannot undo.`);
}

/**
 * Where a redirect leads, and what is sent there: only http(s), and the feed's headers (credentials,
 * API keys) only to the source's own origin. The new host's address is checked like the first one's before connecting.
 */
export function redirected(from: URL, location: string, headers: Record<string, string>): { url: URL; headers: Record<string, string> } {
  const next = new URL(location, from);
  if (next.protocol !== "http:" && next.protocol !== "https:")
    throw new SourceFailed(`The source redirected to ${next.protocol}//, which a feed does not follow.`);
  if (next.origin === from.origin) return { url: next, headers };
  return { url: next, headers: Object.fromEntries(Object.entries(headers).filter(([name]) => CROSS_ORIGIN_HEADERS.has(name.toLowerCase()))) };
}

/**
 * GETs the file, following up to five redirects (each new host checked like the first), with the
 * last ETag / Last-Modified: a 304 means the catalog has this file already.
 */
export async function fetchHttp(source: HttpSource, previous: SourceVersion | null, settings: FeedSettings): Promise<SourceAnswer> {
  let url = new URL(source.url);
  let headers = requestHeaders(source, previous);
  for (let hop = 0; ; hop += 1) {
    const response = await get(url, headers, await checkedLookup(url.hostname, settings), settings.timeoutMs);
    const status = response.statusCode ?? 0;
    if (REDIRECTS.has(status) && response.headers.location) {
      response.resume();
      if (hop === MAX_REDIRECTS) throw new SourceFailed(`The source redirected more than ${MAX_REDIRECTS} times.`);
      ({ url, headers } = redirected(url, response.headers.location, headers));
      continue;
    }
    const version = { etag: response.headers.etag ?? null, lastModified: response.headers["last-modified"] ?? null };
    if (status === 304) {
      response.resume();
      return { unchanged: true, version };
    }
    if (status < 200 || status > 299) {
      response.resume();
      throw new SourceFailed(`The source answered HTTP ${status}${response.statusMessage ? ` ${response.statusMessage}` : ""}.`);
    }
    const contentType = response.headers["content-type"];
    if (contentType && /^text\/html\b/i.test(contentType)) {
      response.resume();
      throw new SourceFailed(
        "The source answered with a web page (text/html), not a file: check the URL and the credentials (a login or error page?).",
      );
    }
    const watched = new WatchedBytes(settings.timeoutMs);
    response.on("error", (error) =>
      watched.destroy(error instanceof SourceFailed ? error : new SourceFailed(`The download broke off: ${error.message}.`)),
    );
    response.on("aborted", () => watched.destroy(new SourceFailed("The source closed the connection before the whole file arrived.")));
    const decoder = decoderFor(response);
    response.pipe(watched);
    const sniffed = new NotAWebPage();
    // Any stage failing fails the body the import reads, with that stage's reason.
    pipeline([watched, ...(decoder ? [decoder] : []), sniffed], (error) => {
      if (error && !(error instanceof SourceFailed) && decoder)
        sniffed.destroy(new SourceFailed(`The source's encoded answer could not be undone: ${error.message}.`));
    });
    return {
      unchanged: false,
      file: { body: sniffed, filename: filenameOf(response, url), contentType, version, bytesRead: () => watched.bytes },
    };
  }
}
