import { formatDuration } from "./format";
import type { ImportJson } from "./import-status";

type Times = Pick<ImportJson, "createdAt" | "uploadedAt" | "reviewedAt" | "startedAt" | "finishedAt">;

/** A wait in the queue shorter than this is the queue's own bookkeeping, not worth a word. */
const QUEUE_WAIT_WORTH_SAYING_MS = 1_000;

interface ImportPhase {
  /** What the import was doing: its own work (reading, applying) or waiting (in review, in the queue). */
  kind: "read" | "review" | "queue" | "apply";
  ms: number;
}

const between = (start: string | null, end: string | null) => (start && end ? Math.max(0, Date.parse(end) - Date.parse(start)) : null);

/**
 * Where a finished import's time went, in order: reading the file (upload to staged), the wait in
 * review (staged to applied), the wait in the queue, applying it (its last attempt). A phase whose
 * times are missing (a review never asked for, an import never applied) is left out.
 */
function importPhases(item: Times): ImportPhase[] {
  const phases: ImportPhase[] = [];
  // An upload that failed or was cancelled while it was read ends without being staged.
  const read = between(item.createdAt, item.uploadedAt ?? (item.startedAt ? null : item.finishedAt));
  if (read !== null) phases.push({ kind: "read", ms: read });
  const review = between(item.uploadedAt, item.reviewedAt);
  if (review !== null) phases.push({ kind: "review", ms: review });
  const queue = between(item.reviewedAt ?? item.uploadedAt, item.startedAt);
  if (queue !== null && queue >= QUEUE_WAIT_WORTH_SAYING_MS) phases.push({ kind: "queue", ms: queue });
  const apply = between(item.startedAt, item.finishedAt);
  if (apply !== null) phases.push({ kind: "apply", ms: apply });
  return phases;
}

const PHASE_WORDS: Record<ImportPhase["kind"], (duration: string) => string> = {
  read: (duration) => `read in ${duration}`,
  review: (duration) => `waited ${duration} in review`,
  queue: (duration) => `waited ${duration} in the queue`,
  apply: (duration) => `applied in ${duration}`,
};

/** "Read in 1.2 s · waited 4 min 3 s in review · applied in 83 ms": each phase apart, waits named as waits. */
export function describeImportTiming(item: Times): string | null {
  const words = importPhases(item).map((phase) => PHASE_WORDS[phase.kind](formatDuration(phase.ms)));
  if (words.length === 0) return null;
  const sentence = words.join(" · ");
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}

/**
 * How long an import itself took: reading its file and applying it, without the time it waited
 * for a person (in review) or for other imports (in the queue). "—" until it has finished.
 */
export function importWorkDuration(item: Times): string {
  if (!item.finishedAt) return "—";
  const working = importPhases(item).filter((phase) => phase.kind === "read" || phase.kind === "apply");
  if (working.length === 0) return "—";
  return formatDuration(working.reduce((total, phase) => total + phase.ms, 0));
}
