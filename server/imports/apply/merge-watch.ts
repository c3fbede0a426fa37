import { sql, type Kysely } from "kysely";
import type { Database } from "../../../db/schema.js";
import { reportMergeProgress, touchHeartbeat } from "../imports.table.js";

const EVERY_MS = 400;

/** Why the watch stopped the merge statement: the import was cancelled, or is being handed back (shutdown). */
export type MergeStop = "cancelled" | "handed back";

/**
 * Runs beside a merge on other connections: reports progress and a heartbeat while the merge
 * transaction is still open, and stops the merge at once (pg_cancel_backend) when the import is
 * cancelled, instead of waiting for the statement to end.
 */
export class MergeWatch {
  /** Set once the watch has stopped (or is stopping) the merge, with the reason. */
  stoppedFor: MergeStop | null = null;
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
  async handBack(): Promise<void> {
    this.stoppedFor = "handed back";
    await this.cancelMerge();
  }

  private cancelMerge() {
    return sql`SELECT pg_cancel_backend(${this.mergeBackendPid})`.execute(this.db);
  }

  private async tick(): Promise<void> {
    if (this.stoppedFor === "cancelled") return;
    // A cancel that landed between two statements of the merge did nothing: send it again.
    if (this.stoppedFor === "handed back") return void (await this.cancelMerge());
    const processed = await this.processedRows();
    const still =
      processed !== this.lastReported
        ? Boolean(await reportMergeProgress(this.db, this.importId, processed))
        : await touchHeartbeat(this.db, this.importId);
    this.lastReported = processed;
    if (!still) {
      this.stoppedFor = "cancelled";
      await this.cancelMerge();
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.ticking;
  }
}
