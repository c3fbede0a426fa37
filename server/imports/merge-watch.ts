import { sql, type Kysely } from "kysely";
import type { Database } from "../../db/schema.js";
import { reportMergeProgress, touchHeartbeat } from "./imports.table.js";

const EVERY_MS = 400;

/**
 * Runs beside a merge on other connections: reports progress and a heartbeat while the merge
 * transaction is still open, and stops the merge at once (pg_cancel_backend) when the import is
 * cancelled, instead of waiting for the statement to end.
 */
export class MergeWatch {
  cancelled = false;
  /** Set by `interrupt`: the merge was stopped to hand the import back, not because it was cancelled. */
  interrupted = false;
  private timer: NodeJS.Timeout | null = null;
  private lastReported = -1;
  private ticking: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly importId: string,
    private readonly mergeBackendPid: number,
    private readonly processedRows: () => Promise<number> | number,
  ) {}

  start(): this {
    this.timer = setInterval(() => {
      this.ticking = this.ticking.then(() => this.tick()).catch(() => {});
    }, EVERY_MS);
    return this;
  }

  /** Stops the merge so the import can go back to the queue (shutdown); its transaction rolls back. */
  async interrupt(): Promise<void> {
    this.interrupted = true;
    await this.cancelMerge();
  }

  private cancelMerge() {
    return sql`SELECT pg_cancel_backend(${this.mergeBackendPid})`.execute(this.db);
  }

  private async tick(): Promise<void> {
    if (this.cancelled) return;
    // A cancel that landed between two statements of the merge did nothing: send it again.
    if (this.interrupted) return void (await this.cancelMerge());
    const processed = await this.processedRows();
    const still =
      processed !== this.lastReported
        ? Boolean(await reportMergeProgress(this.db, this.importId, processed))
        : await touchHeartbeat(this.db, this.importId);
    this.lastReported = processed;
    if (!still) {
      this.cancelled = true;
      await this.cancelMerge();
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.ticking;
  }
}
