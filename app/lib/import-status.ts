import type { ImportJson } from "../../server/imports/import.schema";

export type { ImportJson };

export const isTerminal = (status: ImportJson["status"]) =>
  status === "completed" || status === "failed" || status === "cancelled";

export const statusLabel: Record<ImportJson["status"], string> = {
  uploading: "Uploading",
  queued: "Queued",
  processing: "Importing",
  completed: "Completed",
  failed: "Failed",
  cancelled: "Cancelled",
};
