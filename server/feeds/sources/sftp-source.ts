import SftpClient from "ssh2-sftp-client";
import type { SourceVersion } from "../../../db/schema.js";
import { publicAddressesOf, TargetRefused } from "../../http/address-guard.js";
import { FEED_RULE, type FeedSettings } from "../feed-settings.js";
import { sftpPath } from "../source-url.js";
import { baseName, SourceRefused, SourceFailed, WatchedBytes, type SourceAnswer } from "./fetched-file.js";

export interface SftpSource {
  url: string;
  username: string | null;
  password: string | null;
  privateKey: string | null;
}

/** Where to connect: the address checked here (DNS cannot change in between), or the name as given. */
async function connectHost(hostname: string, settings: FeedSettings): Promise<string> {
  const host = hostname.replace(/^\[(.*)\]$/, "$1");
  if (settings.allowPrivateNetworks) return host;
  try {
    const [checked] = await publicAddressesOf(host, FEED_RULE);
    return checked!.address;
  } catch (error) {
    if (error instanceof TargetRefused) throw new SourceRefused(`${error.message}.`);
    throw error;
  }
}

function failure(what: string, error: unknown): SourceFailed {
  const message = (error as Error).message.replace(/^[a-zA-Z]+: /, "");
  return new SourceFailed(`${what} (${message}).`);
}

/**
 * Logs in, and reads the file's size and modification time: the same as last time means the
 * catalog has this file already. Otherwise the file streams from the server; the connection
 * closes when it has been read or fails.
 */
export async function fetchSftp(source: SftpSource, previous: SourceVersion | null, settings: FeedSettings): Promise<SourceAnswer> {
  const url = new URL(source.url);
  const path = sftpPath(url);
  const client = new SftpClient("product-importer-feeds");
  const host = await connectHost(url.hostname, settings);
  try {
    await client.connect({
      host,
      port: url.port ? Number(url.port) : 22,
      username: source.username ?? undefined,
      password: source.password ?? undefined,
      privateKey: source.privateKey ?? undefined,
      readyTimeout: settings.timeoutMs,
      retries: 0,
    });
  } catch (error) {
    await client.end().catch(() => {});
    throw failure(`The SFTP server ${url.host} could not be reached or refused the login`, error);
  }
  // Small SFTP packets held back for coalescing (Nagle) slow a download down ten times over.
  (client as unknown as { client: { setNoDelay(noDelay: boolean): void } }).client.setNoDelay(true);
  let handedOver = false;
  try {
    let stat: Awaited<ReturnType<SftpClient["stat"]>>;
    try {
      stat = await client.stat(path);
    } catch (error) {
      throw failure(`${path} could not be read on ${url.host}`, error);
    }
    if (!stat.isFile) throw new SourceFailed(`${path} on ${url.host} is not a file.`);
    const version: SourceVersion = { size: stat.size, modifiedAt: stat.modifyTime };
    if (previous && "size" in previous && previous.size === version.size && previous.modifiedAt === version.modifiedAt) {
      return { unchanged: true, version };
    }
    const watched = new WatchedBytes(settings.timeoutMs);
    const download = client.createReadStream(path, { autoClose: true });
    download.on("error", (error: Error) => watched.destroy(failure(`Reading ${path} broke off`, error)));
    download.pipe(watched);
    const close = () => void client.end().catch(() => {});
    watched.once("close", close);
    handedOver = true;
    return { unchanged: false, file: { body: watched, filename: baseName(path, "feed.csv"), version, bytesRead: () => watched.bytes } };
  } finally {
    if (!handedOver) await client.end().catch(() => {});
  }
}
