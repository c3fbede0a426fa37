import { IMPORT_STATUSES, type ImportStatus } from "../../db/schema.js";

export { IMPORT_STATUSES, type ImportStatus };

/** Still moving: the file is arriving, waiting, or being applied. Cancel stops any of them. */
export const ACTIVE_STATUSES = ["uploading", "queued", "processing"] as const satisfies readonly ImportStatus[];
/** Not settled yet: moving, or waiting for a person (the partial index imports_unsettled holds these). */
export const UNSETTLED_STATUSES = [...ACTIVE_STATUSES, "review"] as const satisfies readonly ImportStatus[];
/** Staged and waiting for a worker, or being merged (or left half-merged by a process that died). */
export const WAITING_TO_APPLY = ["queued", "processing"] as const satisfies readonly ImportStatus[];
/** Settled: the progress stream ends, and nothing happens to it unless someone retries or reverts it. */
export const TERMINAL_STATUSES = ["completed", "failed", "cancelled", "reverted"] as const satisfies readonly ImportStatus[];
/** Ended without changing the catalog: Retry applies the staged rows again while they are kept. */
export const RETRYABLE_STATUSES = ["failed", "cancelled"] as const satisfies readonly ImportStatus[];

export const isTerminal = (status: ImportStatus) => (TERMINAL_STATUSES as readonly ImportStatus[]).includes(status);

/**
 * The moves an import can make: from which statuses, to which. Every status change goes through
 * one of these (imports.table.ts), so a move that is not listed here cannot happen.
 */
export const TRANSITIONS = {
  /** The whole file is staged: it waits its turn. */
  queue: { from: ["uploading"], to: "queued" },
  /** The whole file is staged and the uploader wants to see what it would change first. */
  hold: { from: ["uploading"], to: "review" },
  /** Reviewed and applied: it waits its turn like any other. */
  apply: { from: ["review"], to: "queued" },
  /** Reviewed and not wanted; its staged rows go. */
  discard: { from: ["review"], to: "cancelled" },
  /** A worker starts merging it (again, after a process died mid-merge). */
  start: { from: WAITING_TO_APPLY, to: "processing" },
  /** A shutdown stopped its merge: it waits again in its old place. */
  handBack: { from: ["processing"], to: "queued" },
  complete: { from: ["processing"], to: "completed" },
  /** Its merge went past one of its guard's limits: rolled back, it waits for a person in review. */
  holdPastGuard: { from: ["processing"], to: "review" },
  /** The file could not be received (broken, too large, interrupted, silent, its process died). */
  failUpload: { from: ["uploading"], to: "failed" },
  /** Applying it failed or cannot be done; nothing changed. */
  failApply: { from: WAITING_TO_APPLY, to: "failed" },
  cancel: { from: ACTIVE_STATUSES, to: "cancelled" },
  retry: { from: RETRYABLE_STATUSES, to: "queued" },
  /** Undone: what it created removed, what it changed given back. */
  revert: { from: ["completed"], to: "reverted" },
} as const satisfies Record<string, { from: readonly ImportStatus[]; to: ImportStatus }>;

export type Transition = keyof typeof TRANSITIONS;
