import type { Kysely } from "kysely";
import type pg from "pg";
import { Transform, Writable, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { kyselyOn } from "../../db/connect.js";
import type { Database } from "../../db/schema.js";
import { readHeader, UnusableFileError, type ColumnMap } from "./csv-columns.js";
import { csvRecordStream, CsvParseFailure, LineCounter } from "./csv-records.js";
import { validateRow, type RejectedRow } from "./csv-row.js";
import { insertRejectedRows } from "./import-errors.table.js";
import {
  createImport,
  markQueued,
  reportUploadProgress,
  type ImportRow,
  type UploadTotals,
} from "./imports.table.js";
import { copyLine, createStagingTable, openStagingCopy } from "./staging.js";
import { UploadError } from "./upload-error.js";
import { failImport } from "./import-outcome.js";
import { formatBytes } from "../format-bytes.js";

export interface UploadDeps {
  db: Kysely<Database>;
  pool: pg.Pool;
}

export interface IncomingFile {
  /** Bytes of the file; the caller pipes them into `sink`. */
  filename: string;
  maxBytes: number;
}

const COPY_BATCH_CHARS = 256 * 1024;
const REJECTED_BATCH = 500;
const PROGRESS_EVERY_MS = 400;
/**
 * A fast upload never makes parsing wait for I/O, and one turn of the event loop can hand it
 * megabytes: other requests would queue behind whole seconds of parsing. Stepping aside after this
 * much parsing keeps them quick; more often stalls the upload socket for nothing.
 */
const YIELD_AFTER_MS = 25;

class ByteLimit extends Transform {
  bytes = 0;
  constructor(private readonly maxBytes: number) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null, data?: Buffer) => void) {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      done(new UploadError(413, `The file is larger than the ${formatBytes(this.maxBytes)} upload limit.`));
      return;
    }
    done(null, chunk);
  }
}

/**
 * Streams one CSV into a staging table while its bytes arrive: the header is checked from the first
 * record, every row is validated, accepted rows go to COPY and rejected ones to import_errors. The
 * staging table and the switch to `queued` commit together, so an upload that fails half-way leaves
 * nothing behind but a failed import telling why.
 */
export function receiveUpload(deps: UploadDeps, file: IncomingFile) {
  const limit = new ByteLimit(file.maxBytes);
  const stager = new Stager(deps, file.filename, () => limit.bytes);
  const done = pipeline(limit, csvRecordStream(), stager).then(
    () => stager.finished(),
    async (error: unknown) => {
      const reason = toUploadError(error, stager.importId);
      await stager.abandon(reason);
      throw reason;
    },
  );
  // The caller learns about the outcome through `done`; an unobserved rejection is not a crash.
  done.catch(() => {});
  return { sink: limit as Writable, done, abort: (error: UploadError) => limit.destroy(error) };
}

function toUploadError(error: unknown, importId: string | null): UploadError {
  if (error instanceof UploadError) return new UploadError(error.status, error.message, importId);
  if (error instanceof UnusableFileError) return new UploadError(400, error.message, importId);
  return new UploadError(500, "The file could not be stored because of a server problem; nothing was imported. Try again.", importId, {
    cause: error,
  });
}

class Stager extends Writable {
  importId: string | null = null;
  private columns: ColumnMap | null = null;
  private readonly lines = new LineCounter();
  private client: pg.PoolClient | null = null;
  private tx: Kysely<Database> | null = null;
  private copy: Writable | null = null;
  private copyBuffer: string[] = [];
  private copyBufferChars = 0;
  private rejected: RejectedRow[] = [];
  private totals: UploadTotals = { totalRows: 0, errorCount: 0, sizeBytes: 0 };
  private ticker: NodeJS.Timeout | null = null;
  private reporting: Promise<unknown> = Promise.resolve();
  private queued: ImportRow | null = null;
  private lastYield = performance.now();

  constructor(
    private readonly deps: UploadDeps,
    private readonly filename: string,
    private readonly bytesRead: () => number,
  ) {
    super({ objectMode: true, highWaterMark: 64 });
  }

  override _write(record: string[] | CsvParseFailure, _encoding: BufferEncoding, done: (error?: Error | null) => void) {
    if (record instanceof CsvParseFailure) {
      done(this.lines.explain(record));
      return;
    }
    const line = this.lines.lineOf(record);
    if (line === null) {
      done();
      return;
    }
    const step = this.columns ? this.stageRecord(record, line) : this.start(record);
    if (step) {
      step.then(() => done(), done);
    } else if (performance.now() - this.lastYield > YIELD_AFTER_MS) {
      setImmediate(() => {
        this.lastYield = performance.now();
        done();
      });
    } else done();
  }

  override _final(done: (error?: Error | null) => void) {
    this.finish().then(() => done(), done);
  }

  override _destroy(error: Error | null, done: (error?: Error | null) => void) {
    if (this.ticker) clearInterval(this.ticker);
    done(error);
  }

  private async start(header: string[]): Promise<void> {
    this.columns = readHeader(header);
    const created = await createImport(this.deps.db, {
      filename: this.filename,
      header,
      hasActiveColumn: this.columns.active !== null,
    });
    this.importId = created.id;
    this.client = await this.deps.pool.connect();
    this.tx = kyselyOn(this.client);
    await this.client.query("BEGIN");
    await createStagingTable(this.tx, this.importId);
    this.copy = openStagingCopy(this.client, this.importId);
    this.copy.on("error", (error) => {
      if (!this.destroyed) this.destroy(error);
    });
    this.ticker = setInterval(() => this.reportProgress(), PROGRESS_EVERY_MS);
  }

  private stageRecord(fields: string[], line: number): Promise<void> | void {
    this.totals.totalRows += 1;
    const outcome = validateRow(fields, this.columns!, line);
    if ("rejected" in outcome) {
      this.totals.errorCount += 1;
      this.rejected.push(outcome.rejected);
      if (this.rejected.length >= REJECTED_BATCH) return this.flushRejected();
      return;
    }
    const text = copyLine(outcome.accepted);
    this.copyBuffer.push(text);
    this.copyBufferChars += text.length;
    if (this.copyBufferChars >= COPY_BATCH_CHARS) return this.flushCopy();
  }

  private flushCopy(): Promise<void> | void {
    if (!this.copyBuffer.length) return;
    const chunk = this.copyBuffer.join("");
    this.copyBuffer = [];
    this.copyBufferChars = 0;
    if (this.copy!.write(chunk)) return;
    return new Promise((resolve) => this.copy!.once("drain", resolve));
  }

  private async flushRejected(): Promise<void> {
    const rows = this.rejected;
    this.rejected = [];
    await insertRejectedRows(this.deps.db, this.importId!, rows);
  }

  private reportProgress(): void {
    // One report at a time; a slow database must not pile them up.
    this.reporting = this.reporting.then(async () => {
      if (!this.importId || this.queued) return;
      this.totals.sizeBytes = this.bytesRead();
      const still = await reportUploadProgress(this.deps.db, this.importId, this.totals).catch(() => true);
      if (!still) this.destroy(new UploadError(409, "The import was cancelled while it uploaded."));
    });
  }

  private async finish(): Promise<void> {
    if (!this.columns) throw new UnusableFileError("The file is empty; it needs a header naming sku and name.");
    await this.flushCopy();
    await this.flushRejected();
    const copy = this.copy!;
    await new Promise<void>((resolve, reject) => {
      copy.once("finish", resolve);
      copy.once("error", reject);
      copy.end();
    });
    clearInterval(this.ticker!);
    await this.reporting;
    this.totals.sizeBytes = this.bytesRead();
    const queued = await markQueued(this.tx!, this.importId!, this.totals);
    if (!queued) throw new UploadError(409, "The import was cancelled while it uploaded.");
    await this.client!.query("COMMIT");
    this.queued = queued;
    this.releaseClient();
  }

  finished(): ImportRow {
    return this.queued!;
  }

  /** Rolls the staging back and records why; the import row stays as the user's receipt. */
  async abandon(reason: UploadError): Promise<void> {
    if (this.ticker) clearInterval(this.ticker);
    await this.reporting;
    if (this.copy && !this.copy.writableFinished) {
      // A COPY still open holds the connection: fail it first, or the ROLLBACK would wait forever.
      const copy = this.copy;
      await new Promise<void>((resolve) => {
        copy.once("close", () => resolve());
        copy.destroy(new Error(reason.message));
      });
    }
    if (this.client) {
      await this.client.query("ROLLBACK").catch(() => {});
      this.releaseClient(true);
    }
    if (!this.importId) return;
    await this.flushRejected().catch(() => {});
    const message = reason.status === 499 ? "The upload was interrupted before the whole file arrived." : reason.message;
    await failImport(this.deps.db, this.importId, message, { retryable: false, from: ["uploading"] }).catch(() => {});
  }

  private releaseClient(broken = false): void {
    this.client?.release(broken);
    this.client = null;
  }
}
