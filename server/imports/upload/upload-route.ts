import busboy from "busboy";
import type { Request, RequestHandler, Response } from "express";
import type { Readable } from "node:stream";
import { formatBytes } from "../../format-bytes.js";
import { whenClientSendsTooSlowly, type MinimumRate } from "../../http/client-pace.js";
import { whenClientStopsSending } from "../../http/client-silence.js";
import { formatDuration } from "../../http/format-duration.js";
import { liftRequestDeadline } from "../../http/request-deadline.js";
import { Refusal, sendRefusal } from "../../refusal.js";
import type { ImportScheduler } from "../import-queue.js";
import { toImportJson } from "../import-json.js";
import { reviewImport } from "../review/review-import.js";
import { receiveUpload, SERVER_PROBLEM, type UploadDeps } from "./receive-upload.js";
import { UPLOAD_OPTIONS, type UploadOptionName } from "../import.schema.js";
import { parseUploadOptions } from "./upload-options.js";
import { decodedBody } from "./request-body.js";

export interface UploadRouteDeps extends UploadDeps {
  maxUploadBytes: number;
  /** More at once would take the connections pages and the API need; the next one is told to wait. */
  maxConcurrentUploads: number;
  /** An upload whose client sends nothing for this long is failed (UPLOAD_IDLE_TIMEOUT_MS). */
  idleTimeoutMs: number;
  /** An upload slower than this on average is failed too (UPLOAD_MIN_BYTES_PER_SECOND over UPLOAD_RATE_WINDOW_MS). */
  minRate: MinimumRate;
  /** Gets a worker onto an import once it is queued. */
  imports: ImportScheduler;
}

function wantsHtml(req: Request): boolean {
  return (req.get("accept") ?? "").includes("text/html");
}

/**
 * `POST /api/imports`: the CSV as multipart field `file` or as the raw body. Answers once the file
 * is staged; a browser form without JavaScript is redirected to the import's page instead.
 */
export function uploadRoute(deps: UploadRouteDeps): RequestHandler {
  let receiving = 0;
  return (req, res) => {
    const declared = Number(req.get("content-length") ?? NaN);
    if (declared > deps.maxUploadBytes + 64 * 1024) {
      // Nothing of this body will be read, so this connection cannot carry another request.
      res.set("Connection", "close");
      sendRefusal(res, new Refusal("too_large", `The file is larger than the ${formatBytes(deps.maxUploadBytes)} upload limit.`));
      return;
    }
    const filenameParam = req.query.filename;
    if (filenameParam !== undefined && typeof filenameParam !== "string") {
      reply(req, res, new Refusal("invalid", "filename must be given once, as text (?filename=catalog.csv)."));
      return;
    }
    if (receiving >= deps.maxConcurrentUploads) {
      const busy = `This server is already receiving ${receiving} files; nothing of this one was stored. Try again in a few seconds.`;
      reply(req, res, new Refusal("busy", busy, { retryAfterSeconds: 10 }));
      return;
    }
    receiving += 1;
    let upload: ReturnType<typeof receiveUpload> | undefined;
    // A gigabyte over a slow link takes minutes: the pace is watched instead of the whole request's time.
    liftRequestDeadline(req);
    // A client that goes quiet, or sends a byte now and then, must not hold a slot, a pooled
    // connection and an open COPY for as long as it likes.
    const stop = (why: string) => {
      stopWatching();
      const refusal = new Refusal("timeout", `${why}, so the upload was stopped and nothing was imported. Upload the file again.`);
      if (upload) upload.abort(refusal);
      else reply(req, res, refusal);
    };
    const watches = [
      whenClientStopsSending(req, deps.idleTimeoutMs, () => stop(`Nothing arrived for ${formatDuration(deps.idleTimeoutMs)}`)),
      whenClientSendsTooSlowly(req, deps.minRate, (bytesPerSecond) =>
        stop(
          `The file arrived at ${formatBytes(Math.round(bytesPerSecond))}/s over the last ${formatDuration(deps.minRate.windowMs)}, ` +
            `below the minimum of ${formatBytes(deps.minRate.bytesPerSecond)}/s`,
        ),
      ),
    ];
    const stopWatching = () => watches.forEach((stopWatch) => stopWatch());
    res.once("close", () => {
      receiving -= 1;
      stopWatching();
    });
    const accept = (source: Readable, filename: string, contentType: string | undefined, given: Partial<Record<UploadOptionName, unknown>>) => {
      let options;
      try {
        options = parseUploadOptions(given);
      } catch (error) {
        source.resume();
        reply(req, res, error);
        return;
      }
      const received = receiveUpload(deps, { filename, contentType, maxBytes: deps.maxUploadBytes, ...options });
      upload = received;
      req.on("close", () => {
        if (!req.complete) received.abort(new Refusal("gone", "The upload was interrupted."));
      });
      // A body that breaks off is an interrupted upload; one that cannot be decoded says why.
      source.on("error", (error) => received.abort(error instanceof Refusal ? error : new Refusal("gone", error.message)));
      source.pipe(received.sink);
      received.done.then(
        async (staged) => {
          if (staged.status === "review") {
            // The answer waits for the comparison with the catalog, so the review is ready to read.
            await reviewImport(deps.db, staged.id).catch((error: unknown) =>
              req.log?.warn({ err: error, importId: staged.id }, "the review's first comparison failed; imports.review computes it"),
            );
          } else {
            await deps.imports.requestApply().catch(() => {});
          }
          if (wantsHtml(req)) res.redirect(303, `/imports/${staged.id}`);
          else res.status(202).json({ id: staged.id, import: toImportJson(staged) });
        },
        (error: unknown) => {
          source.unpipe(received.sink);
          reply(req, res, error, received.importId());
        },
      );
    };

    let body: Readable;
    try {
      body = decodedBody(req);
    } catch (error) {
      reply(req, res, error);
      return;
    }
    const isMultipart = (req.get("content-type") ?? "").toLowerCase().startsWith("multipart/form-data");
    if (!isMultipart) {
      const given = Object.fromEntries(UPLOAD_OPTIONS.map((name) => [name, req.query[name]]));
      accept(body, cleanFilename(filenameParam ?? "") || "upload.csv", req.get("content-type"), given);
      return;
    }
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { files: 1, fileSize: deps.maxUploadBytes + 1 } });
    } catch {
      reply(req, res, new Refusal("invalid", "The multipart body cannot be read (missing boundary)."));
      return;
    }
    let sawFile = false;
    // Options are read from the fields sent before the file: the file streams as it arrives.
    const fields: Partial<Record<UploadOptionName, unknown>> = {};
    parser.on("field", (name, value) => {
      if (sawFile || !(UPLOAD_OPTIONS as readonly string[]).includes(name)) return;
      const option = name as UploadOptionName;
      fields[option] = fields[option] === undefined ? value : [fields[option], value];
    });
    parser.on("file", (field, stream, info) => {
      if (field !== "file" || sawFile) {
        stream.resume();
        return;
      }
      sawFile = true;
      accept(stream, cleanFilename(info.filename ?? "") || "upload.csv", info.mimeType, fields);
    });
    parser.on("close", () => {
      if (!sawFile) reply(req, res, new Refusal("invalid", 'The form has no file in the field "file".'));
    });
    parser.on("error", (error) => {
      if (!sawFile) reply(req, res, new Refusal("invalid", `The multipart body cannot be read: ${(error as Error).message}`));
    });
    // A body that cannot be decoded stops the file being read from it too: no part of it is imported.
    body.on("error", (error) => {
      upload?.abort(error instanceof Refusal ? error : new Refusal("gone", error.message));
      parser.destroy(error);
    });
    body.pipe(parser);
  };
}

function cleanFilename(name: string): string {
  // Keep the base name only; it is shown back to people, never used as a path.
  return name
    .split(/[\\/]/)
    .pop()!
    .replace(/[\u0000-\u001f]/g, "")
    .toWellFormed()
    .slice(0, 255)
    .trim();
}

/** Answers an upload that ends without a queued import; a server fault is logged and told as such. */
function reply(req: Request, res: Response, error: unknown, importId: string | null = null): void {
  if (res.headersSent) return;
  if (!req.complete) discardRestOfBody(req);
  if (!(error instanceof Refusal)) {
    req.log?.error({ err: error }, "upload failed");
    res.status(500).json({ error: SERVER_PROBLEM, ...(importId ? { id: importId } : {}) });
    return;
  }
  // A client that went away cannot read the answer; a proxy in between gets a plain 400.
  sendRefusal(res, error.kind === "gone" ? new Refusal("invalid", error.message, { extra: error.extra }) : error);
}

const LINGER_BYTES = 16 * 1024 * 1024;
const LINGER_MS = 2_000;

/**
 * A client still sending when we answer early only sees the answer if we keep reading a while:
 * closing at once makes its next write fail and the answer is lost. Read (and drop) a bounded
 * amount, then close.
 */
function discardRestOfBody(req: Request): void {
  const close = () => req.socket.destroy();
  const timer = setTimeout(close, LINGER_MS);
  let discarded = 0;
  req.on("data", (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > LINGER_BYTES) close();
  });
  req.on("end", () => clearTimeout(timer));
  req.resume();
}
