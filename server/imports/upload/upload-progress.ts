import type { Kysely } from "kysely";
import type { Database } from "../../../db/schema.js";
import { reportUploadProgress, type UploadTotals } from "../imports.table.js";

const EVERY_MS = 400;

/**
 * Reports an upload's counts every 400 ms while it streams (the page shows them, and the sweeper
 * reads the heartbeat), one report at a time so a slow database cannot pile them up. Notices when
 * the import was cancelled meanwhile.
 */
export class UploadProgress {
  private readonly timer: NodeJS.Timeout;
  private reporting: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly importId: string,
    private readonly totals: UploadTotals,
    private readonly bytesRead: () => number,
    private readonly onCancelled: () => void,
  ) {
    this.timer = setInterval(() => this.report(), EVERY_MS);
  }

  private report(): void {
    this.reporting = this.reporting.then(async () => {
      if (this.stopped) return;
      this.totals.sizeBytes = this.bytesRead();
      const still = await reportUploadProgress(this.db, this.importId, this.totals).catch(() => true);
      if (!still && !this.stopped) this.onCancelled();
    });
  }

  /** Stops reporting; resolves once the last report has settled. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.reporting;
  }
}
