import type { ImportJson } from "../../server/imports/import-json.js";

/** One message of an import's progress stream: the import as it stands. */
export interface ProgressEvent {
  id: string;
  event: string;
  data: ImportJson;
}

/** Reads an import's progress stream (server-sent events) until it ends (or the timeout), returning its events. */
export async function readEventStream(
  url: string,
  options: { headers?: Record<string, string>; timeoutMs?: number; onEvent?: (event: ProgressEvent) => void } = {},
) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? 30_000);
  const response = await fetch(url, { headers: options.headers, signal: controller.signal });
  const events: ProgressEvent[] = [];
  let ended = false;
  let buffer = "";
  try {
    const decoder = new TextDecoder();
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let boundary: number;
      while ((boundary = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, boundary);
        buffer = buffer.slice(boundary + 2);
        const fields = Object.fromEntries(
          block
            .split("\n")
            .filter((line) => line && !line.startsWith(":"))
            .map((line) => [line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 1).trimStart()]),
        );
        if (fields.event) {
          const event = { id: fields.id ?? "", event: fields.event, data: JSON.parse(fields.data ?? "null") };
          events.push(event);
          options.onEvent?.(event);
        }
      }
    }
    ended = true;
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  } finally {
    clearTimeout(timer);
  }
  return { status: response.status, contentType: response.headers.get("content-type"), events, ended };
}
