import type { Request } from "express";
import { PassThrough, type Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { gzipFailure } from "../../files/packed-file.js";
import { Refusal } from "../../refusal.js";

/**
 * An upload's body as sent, its `Content-Encoding` undone: gzip (a whole multipart body, or a raw
 * file, compressed for the trip). What the file itself is, packed or not, is told afterwards by its
 * own first bytes (server/files/packed-file.ts). Another encoding is refused before anything is read.
 */
export function decodedBody(req: Request): Readable {
  const encoding = (req.get("content-encoding") ?? "identity").trim().toLowerCase();
  if (encoding === "identity" || encoding === "") return req;
  if (encoding !== "gzip" && encoding !== "x-gzip") {
    throw new Refusal("invalid", `Content-Encoding "${encoding}" cannot be read; send the body as it is or with gzip.`);
  }
  const body = new PassThrough();
  const gunzip = createGunzip();
  gunzip.on("error", (error: NodeJS.ErrnoException) => body.destroy(gzipFailure(error, "The body's gzip encoding")));
  req.pipe(gunzip).pipe(body);
  return body;
}
