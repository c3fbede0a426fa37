import type { Writable } from "node:stream";
import { BATCH_CHARS } from "../../files/batch-sizes.js";

/**
 * Accepted rows, as COPY text, into the staging table's COPY, in batches of a few hundred kilobytes (a write per
 * row costs more than the row). `add` returns a promise only when the COPY wants to drain.
 */
export class StagingCopy {
  private batch: string[] = [];
  private chars = 0;
  /** What broke the COPY (the server refused it, the connection went), kept for the next write. */
  private failure: Error | null = null;

  constructor(private readonly copy: Writable) {
    copy.on("error", (error) => (this.failure ??= error));
  }

  /** Rows already in COPY's text format (the staged row, staged-row.ts): text gathered into batches, bytes (a worker's, already a batch) written as they are. */
  add(copyText: string | Uint8Array): Promise<void> | void {
    if (this.failure) throw this.failure;
    if (typeof copyText !== "string") {
      const pending = this.flush();
      return pending ? pending.then(() => this.write(copyText)) : this.write(copyText);
    }
    if (!copyText) return;
    this.batch.push(copyText);
    this.chars += copyText.length;
    if (this.chars >= BATCH_CHARS) return this.flush();
  }

  private flush(): Promise<void> | void {
    if (!this.batch.length) return;
    const chunk = this.batch.join("");
    this.batch = [];
    this.chars = 0;
    return this.write(chunk);
  }

  private write(chunk: string | Uint8Array): Promise<void> | void {
    if (!chunk.length) return;
    if (this.copy.write(chunk)) return;
    return new Promise((resolve, reject) => {
      const settle = (error?: Error) => {
        this.copy.off("drain", settle).off("error", settle).off("close", settle);
        const failure = error ?? this.failure;
        if (failure) reject(failure);
        else resolve();
      };
      this.copy.on("drain", settle).on("error", settle).on("close", settle);
    });
  }

  async end(): Promise<void> {
    await this.flush();
    if (this.failure) throw this.failure;
    await new Promise<void>((resolve, reject) => {
      this.copy.once("finish", resolve);
      this.copy.once("error", reject);
      this.copy.end();
    });
  }

  /**
   * Every batch's rows into the COPY, after `each` has taken the rest of the batch (its rejected
   * rows, its notes), then the COPY ended; on any failure it is aborted first, so the caller's
   * transaction can roll back.
   */
  async copyAll<Batch extends { copyText: string | Uint8Array }>(
    batches: AsyncIterable<Batch>,
    each: (batch: Batch) => Promise<void> | void,
  ): Promise<void> {
    try {
      for await (const batch of batches) {
        const taken = each(batch);
        if (taken) await taken;
        const drained = this.add(batch.copyText);
        if (drained) await drained;
      }
      await this.end();
    } catch (error) {
      await this.abort(error as Error);
      throw error;
    }
  }

  /** A COPY still open holds its connection: it must fail before the transaction can roll back. */
  async abort(reason: Error): Promise<void> {
    if (this.copy.writableFinished || this.copy.destroyed) return;
    await new Promise<void>((resolve) => {
      this.copy.once("close", () => resolve());
      this.copy.destroy(reason);
    });
  }
}
