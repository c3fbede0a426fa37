import busboy from "busboy";
import type { Request, RequestHandler, Response } from "express";
import type { Readable } from "node:stream";
import { receiveUpload, type UploadDeps } from "./receive-upload.js";
import { formatBytes } from "../format-bytes.js";
import { UploadError } from "./upload-error.js";
import { toImportJson } from "./import.schema.js";
import { whenClientStopsSending } from "../http/client-silence.js";

export interface UploadRouteDeps extends UploadDeps {
  maxUploadBytes: number;
  /** More at once would take the connections pages and the API need; the next one is told to wait. */
  maxConcurrentUploads: number;
  /** An upload whose client sends nothing for this long is failed (UPLOAD_IDLE_TIMEOUT_MS). */
  idleTimeoutMs: number;
  /** Called once an import is queued, to get a worker onto it. */
  onQueued: (importId: string) => Promise<void>;
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
      res.status(413).json({ error: `The file is larger than the ${formatBytes(deps.maxUploadBytes)} upload limit.` });
      return;
    }
    const filenameParam = req.query.filename;
    if (filenameParam !== undefined && typeof filenameParam !== "string") {
      discardRestOfBody(req);
      res.status(400).json({ error: "filename must be given once, as text (?filename=catalog.csv)." });
      return;
    }
    if (receiving >= deps.maxConcurrentUploads) {
      res.set("Retry-After", "10");
      // Read (and drop) a while, so a client still sending sees this answer instead of a reset.
      discardRestOfBody(req);
      res.status(503).json({
        error: `This server is already receiving ${receiving} files; nothing of this one was stored. Try again in a few seconds.`,
      });
      return;
    }
    receiving += 1;
    let upload: ReturnType<typeof receiveUpload> | undefined;
    // A client that goes quiet must not hold a slot, a pooled connection and an open COPY forever.
    const stopWatching = whenClientStopsSending(req, deps.idleTimeoutMs, () => {
      const silence = new UploadError(408, `Nothing arrived for ${describeMs(deps.idleTimeoutMs)}, so the upload was stopped and nothing was imported. Upload the file again.`);
      if (upload) upload.abort(silence);
      else reply(req, res, silence);
    });
    res.once("close", () => {
      receiving -= 1;
      stopWatching();
    });
    const isMultipart = (req.get("content-type") ?? "").toLowerCase().startsWith("multipart/form-data");
    const accept = (source: Readable, filename: string) => {
      const received = receiveUpload(deps, { filename, maxBytes: deps.maxUploadBytes });
      upload = received;
      req.on("close", () => {
        if (!req.complete) received.abort(new UploadError(499, "The upload was interrupted."));
      });
      source.on("error", (error) => received.abort(new UploadError(499, error.message)));
      source.pipe(received.sink);
      received.done.then(
        async (queued) => {
          await deps.onQueued(queued.id).catch(() => {});
          if (wantsHtml(req)) res.redirect(303, `/imports/${queued.id}`);
          else res.status(202).json({ id: queued.id, import: toImportJson(queued) });
        },
        (error: unknown) => {
          source.unpipe(received.sink);
          reply(req, res, error);
        },
      );
    };

    if (!isMultipart) {
      accept(req, cleanFilename(filenameParam ?? "") || "upload.csv");
      return;
    }
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { files: 1, fileSize: deps.maxUploadBytes + 1 } });
    } catch {
      reply(req, res, new UploadError(400, "The multipart body cannot be read (missing boundary)."));
      return;
    }
    let sawFile = false;
    parser.on("file", (field, stream, info) => {
      if (field !== "file" || sawFile) {
        stream.resume();
        return;
      }
      sawFile = true;
      accept(stream, cleanFilename(info.filename ?? "") || "upload.csv");
    });
    parser.on("close", () => {
      if (!sawFile) reply(req, res, new UploadError(400, 'The form has no file in the field "file".'));
    });
    parser.on("error", (error) => {
      if (!sawFile) reply(req, res, new UploadError(400, `The multipart body cannot be read: ${(error as Error).message}`));
    });
    req.pipe(parser);
  };
}

function cleanFilename(name: string): string {
  // Keep the base name only; it is shown back to people, never used as a path.
  return name.split(/[\\/]/).pop()!.replace(/[\u0000-\u001f]/g, "").toWellFormed().slice(0, 255).trim();
}

const describeMs = (ms: number) => (ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`);

function reply(req: Request, res: Response, error: unknown): void {
  if (res.headersSent) return;
  const known = error instanceof UploadError ? error : new UploadError(500, "The upload could not be stored. Try again.", null, { cause: error });
  const status = known.status === 499 ? 400 : known.status;
  const message = known.message;
  if (status === 500) req.log?.error({ err: known.cause ?? known }, "upload failed");
  if (!req.complete) discardRestOfBody(req);
  res.status(status).json({ error: message, ...(known.importId ? { id: known.importId } : {}) });
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
