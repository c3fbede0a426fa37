import type { ImportJson } from "../../server/imports/import.schema";

export type { ImportJson };
export { isTerminal } from "../../server/imports/import-status";

export const statusLabel: Record<ImportJson["status"], string> = {
  uploading: "Uploading",
  queued: "Queued",
  processing: "Importing",
  completed: "Completed",
  failed: "Failed",
  cancelled: "Cancelled",
};
