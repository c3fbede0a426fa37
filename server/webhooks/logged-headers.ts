import type { IncomingHttpHeaders } from "node:http";

/** Headers whose values could let someone act as the sender or the receiver: logged as masked. */
const SECRET_HEADERS = new Set(["authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"]);
const MAX_HEADERS = 40;
const MAX_VALUE_CHARS = 500;
export const MASKED = "•••";

/**
 * Headers as the delivery log keeps them: lower-case names, at most MAX_HEADERS, long values cut,
 * credentials masked. A signature is kept only by its scheme and first characters: enough to
 * compare with what a receiver logged, not enough to replay.
 */
export function loggedHeaders(headers: IncomingHttpHeaders | Record<string, string | number>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, raw] of Object.entries(headers).slice(0, MAX_HEADERS)) {
    if (raw === undefined) continue;
    const key = name.toLowerCase();
    const value = Array.isArray(raw) ? raw.join(", ") : String(raw);
    kept[key] = SECRET_HEADERS.has(key) ? MASKED : key === "webhook-signature" ? maskSignatures(value) : value.slice(0, MAX_VALUE_CHARS);
  }
  return kept;
}

const maskSignatures = (value: string) =>
  value
    .split(" ")
    .map((signature) => `${signature.slice(0, "v1,".length + 6)}${MASKED}`)
    .join(" ");
