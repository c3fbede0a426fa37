import { formatCount } from "~/lib/format";

/** One count of an import's rows, with what it means: the review's and the finished import's tiles. */
export function CountStat({ label, value, explain, warn }: { label: string; value: number; explain: string; warn?: boolean }) {
  return (
    <div className={`stat ${warn ? "warn" : ""}`}>
      <span className="stat-value">{formatCount(value)}</span>
      <span className="stat-label">{label}</span>
      <span className="stat-explain">{explain}</span>
    </div>
  );
}
