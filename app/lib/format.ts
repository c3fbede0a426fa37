export { formatBytes } from "../../server/format-bytes";
const integer = new Intl.NumberFormat("en-US");
const dateTime = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

export const formatCount = (value: number) => integer.format(value);

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = Math.round(seconds % 60);
  if (minutes < 60) return `${minutes} min ${rest} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** Rendered in UTC on server and browser alike, so hydration never disagrees. */
export const formatDateTime = (iso: string | null) => (iso ? `${dateTime.format(new Date(iso))} UTC` : "—");

/**
 * A price (exact decimal text) in the catalog's currency: the currency's usual decimals, more when
 * the price has them (formatted from the text itself, never through a float).
 */
export function formatPrice(value: string | null, currency: string | undefined): string {
  if (value === null) return "—";
  const decimals = value.split(".")[1]?.length ?? 0;
  const style = currency ? { style: "currency" as const, currency } : {};
  const format = new Intl.NumberFormat("en-US", { ...style, minimumFractionDigits: 2, maximumFractionDigits: Math.max(2, decimals) });
  return format.format(value as `${number}`);
}
