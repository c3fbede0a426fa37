import { statusLabel, type ImportJson } from "~/lib/import-status";

export function StatusBadge({ status }: { status: ImportJson["status"] }) {
  return <span className={`badge badge-${status}`}>{statusLabel[status]}</span>;
}
