import { Transform, type Writable } from "node:stream";
import type { ImportGuard } from "../../../db/schema.js";
import { formatBytes } from "../../format-bytes.js";
import { Refusal } from "../../refusal.js";
import { openFile, type FileChoice } from "../../files/open-file.js";
import type { MappingChoice } from "../../mappings/resolve-columns.js";
import type { ApplyChoice } from "../import.schema.js";
import { failImport } from "../import-outcome.js";
import type { ImportRow } from "../imports.table.js";
import { stageRecords, type StagingDeps, type UploadInProgress } from "./stage-records.js";

export type UploadDeps = StagingDeps;

export interface IncomingFile {
  filename: string;
  contentType?: string;
  maxBytes: number;
  /** How to read it and which columns are which, as the upload's options say (else detected). */
  reading: FileChoice;
  mapping: MappingChoice;
  applying: ApplyChoice;
  /** The feed whose run fetched the file, if one did. */
  feedId?: string;
  /** The limits its merge must stay within to commit (a feed's guard). */
  guard?: Partial<ImportGuard>;
}

/** Passes bytes on until there are more than the upload limit allows. */
class ByteLimit extends Transform {
  bytes = 0;
  constructor(private readonly maxBytes: number) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null, data?: Buffer) => void) {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      done(new Refusal("too_large", `The file is larger than the ${formatBytes(this.maxBytes)} upload limit.`));
      return;
    }
    done(null, chunk);
  }
}

export const SERVER_PROBLEM = "The file could not be stored because of a server problem; nothing was imported. Try again.";
const INTERRUPTED = "The upload was interrupted before the whole file arrived.";

/**
 * One upload, as stages: bytes (limited) → records (server/files: a CSV in its dialect, or a
 * workbook's sheet) → mapped, validated rows → staging (stage-records.ts). The caller
 * pipes the file's bytes into `sink`; `done` settles with the queued import, or with a Refusal
 * naming the import it created (`id`), which is then failed with the reason.
 */
export function receiveUpload(deps: UploadDeps, file: IncomingFile) {
  const limit = new ByteLimit(file.maxBytes);
  // Its errors reach the upload through the records read from it, whoever is reading them by then.
  limit.on("error", () => {});
  const upload: UploadInProgress = {
    filename: file.filename,
    mapping: file.mapping,
    applying: file.applying,
    feedId: file.feedId,
    guard: file.guard,
    importId: null,
    bytesRead: () => limit.bytes,
    stop: (refusal) => limit.destroy(refusal),
  };
  const stage = async () =>
    stageRecords(deps, await openFile(limit, { filename: file.filename, contentType: file.contentType }, file.reading), upload);
  const done: Promise<ImportRow> = stage().catch(async (error: unknown) => {
    limit.destroy();
    if (upload.importId) {
      const reason = !(error instanceof Refusal) ? SERVER_PROBLEM : error.kind === "gone" ? INTERRUPTED : error.message;
      await failImport(deps.db, upload.importId, { transition: "failUpload", error: reason, retryable: false }).catch(() => {});
    }
    throw error instanceof Refusal && upload.importId ? error.with({ id: upload.importId }) : error;
  });
  // The caller learns about the outcome through `done`; an unobserved rejection is not a crash.
  done.catch(() => {});
  return {
    sink: limit as Writable,
    /** The staged import, or a Refusal (with the import's `id` once one was created); anything else is a server fault. */
    done,
    /** The import this upload created, once its header was read. */
    importId: () => upload.importId,
    abort: (refusal: Refusal) => limit.destroy(refusal),
  };
}
