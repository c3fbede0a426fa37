import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { lookupPinnedTo, publicAddressesOf, TargetRefused } from "../http/address-guard.js";
import { loggedHeaders } from "./logged-headers.js";
import { retryAfterSeconds } from "./retry-policy.js";

export interface PostResult {
  ok: boolean;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  /** The first RESPONSE_BODY_CHARS characters of what the receiver answered. */
  responseBody: string | null;
  /** As the delivery log keeps them (logged-headers.ts): what was sent, and what came back. */
  requestHeaders: Record<string, string>;
  responseHeaders: Record<string, string> | null;
  /** What the answer's Retry-After asked for, in seconds, when it had a usable one. */
  retryAfterSeconds: number | null;
}

export const RESPONSE_BODY_CHARS = 1_000;

/**
 * Connections are kept open between deliveries to the same receiver: a burst then costs one TCP
 * (and TLS) handshake per lane, not one per message. A reused connection goes to the address that
 * was checked when it was opened, so DNS changing meanwhile cannot redirect it.
 */
const AGENTS = {
  "http:": new http.Agent({ keepAlive: true, maxSockets: 64 }),
  "https:": new https.Agent({ keepAlive: true, maxSockets: 64 }),
};

export interface PostOptions {
  timeoutMs: number;
  allowPrivateNetworks: boolean;
}

/**
 * POSTs one signed message. Redirects are not followed (a 3xx is a failure like any non-2xx),
 * and unless private networks are allowed the connection goes only to an address that was
 * checked, resolved here rather than again by the socket, so DNS cannot change in between.
 */
export async function postWebhook(url: string, body: string, headers: Record<string, string>, options: PostOptions): Promise<PostResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const sentHeaders = {
    "Content-Type": "application/json",
    "User-Agent": "product-importer-webhooks",
    ...headers,
    "Content-Length": Buffer.byteLength(body),
  };
  const requestHeaders = loggedHeaders(sentHeaders);
  const failure = (error: string): PostResult => ({
    ok: false,
    statusCode: null,
    latencyMs: elapsed(),
    error,
    responseBody: null,
    requestHeaders,
    responseHeaders: null,
    retryAfterSeconds: null,
  });

  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return failure("The URL is not valid");
  }
  let lookup: LookupFunction | undefined;
  if (!options.allowPrivateNetworks) {
    try {
      const [checked] = await publicAddressesOf(target.hostname);
      lookup = lookupPinnedTo(checked!);
    } catch (error) {
      return failure(error instanceof TargetRefused ? error.message : String(error));
    }
  }

  const transport = target.protocol === "https:" ? https : http;
  return new Promise<PostResult>((resolve) => {
    let settled = false;
    const settle = (result: PostResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const request = transport.request(
      target,
      {
        method: "POST",
        headers: sentHeaders,
        lookup,
        agent: target.protocol === "https:" ? AGENTS["https:"] : AGENTS["http:"],
      },
      (response) => {
        const statusCode = response.statusCode ?? null;
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          if (text.length < RESPONSE_BODY_CHARS) text += chunk;
          // Enough for the log; the rest is not worth waiting for (nor the connection worth keeping).
          if (text.length >= RESPONSE_BODY_CHARS) {
            finish();
            response.destroy();
          }
        });
        const finish = () => {
          const ok = statusCode !== null && statusCode >= 200 && statusCode < 300;
          settle({
            ok,
            statusCode,
            latencyMs: elapsed(),
            error: ok ? null : redirectOrStatus(statusCode, response.headers.location),
            responseBody: text.slice(0, RESPONSE_BODY_CHARS),
            requestHeaders,
            responseHeaders: loggedHeaders(response.headers),
            retryAfterSeconds: retryAfterSeconds(response.headers["retry-after"]),
          });
        };
        response.on("end", finish);
        response.on("error", () => {
          finish();
          response.destroy();
        });
      },
    );
    const timer = setTimeout(() => {
      settle(failure(`Timed out after ${Math.round(options.timeoutMs / 1000)} s`));
      request.destroy();
    }, options.timeoutMs);
    request.on("error", (error: NodeJS.ErrnoException) => settle(failure(describeNetworkError(error, target.host))));
    request.end(body);
  });
}

function redirectOrStatus(statusCode: number | null, location: string | undefined): string {
  if (statusCode !== null && statusCode >= 300 && statusCode < 400) {
    return `HTTP ${statusCode}: redirects are not followed${location ? ` (to ${location.slice(0, 200)})` : ""}`;
  }
  return `HTTP ${statusCode}`;
}

function describeNetworkError(error: NodeJS.ErrnoException, host: string): string {
  switch (error.code) {
    case "ECONNREFUSED":
      return `Connection refused by ${host}`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `DNS lookup of ${host} failed (${error.code})`;
    case "ECONNRESET":
      return `${host} closed the connection`;
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return `${host} is unreachable`;
    default:
      return error.code?.startsWith("ERR_TLS") || error.code?.includes("CERT") ? `TLS error: ${error.message}` : error.message;
  }
}
