import { Refusal } from "../refusal.js";
import { FEED_SCHEMES } from "./feed.schema.js";

/** A feed's source as stored: the URL without credentials, and those it carried. */
export interface SourceUrl {
  url: string;
  scheme: "http" | "sftp";
  username?: string;
  password?: string;
}

const refused = (message: string) => new Refusal("invalid", message, { field: "url" });

/**
 * Reads a source's URL: http, https or `sftp://host[:port]/path`. A user name and password written
 * into it (`https://user:secret@host/…`) are taken out, to be kept as the feed's credentials: the
 * URL is shown on pages and sent in events.
 */
export function readSourceUrl(text: string): SourceUrl {
  if (!URL.canParse(text))
    throw refused(
      `URL "${text.slice(0, 80)}" is not a valid address (such as https://supplier.example.com/catalog.csv or sftp://files.example.com/out/catalog.csv).`,
    );
  const url = new URL(text);
  if (!(FEED_SCHEMES as readonly string[]).includes(url.protocol)) {
    throw refused(`URL: ${url.protocol.replace(/:$/, "")}:// is not a source this app fetches; use http://, https:// or sftp://.`);
  }
  if (!url.hostname) throw refused("URL names no host.");
  const scheme = url.protocol === "sftp:" ? "sftp" : "http";
  if (scheme === "sftp" && (url.pathname === "" || url.pathname === "/")) {
    throw refused("URL: an sftp:// source names the file's path on the server (sftp://host/path/catalog.csv).");
  }
  if (scheme === "sftp" && (url.search || url.hash)) throw refused("URL: an sftp:// source is a path; it takes no ?query or #fragment.");
  const username = url.username ? decodeURIComponent(url.username) : undefined;
  const password = url.password ? decodeURIComponent(url.password) : undefined;
  url.username = "";
  url.password = "";
  return { url: url.toString(), scheme, username, password };
}

/** The path of an sftp:// source's file on its server. */
export function sftpPath(url: URL): string {
  return decodeURIComponent(url.pathname);
}
