import { useEffect, useRef, useState } from "react";
import { isTerminal, type ImportJson } from "./import-status";

/**
 * The import as the server last reported it: starts from the loader's copy, then follows the
 * server-sent events until the import settles. A newer loader copy (after Retry) starts it again.
 */
export function useImportProgress(initial: ImportJson): ImportJson {
  const [current, setCurrent] = useState(initial);
  if (initial.id !== current.id || initial.version > current.version) setCurrent(initial);
  const settled = isTerminal(current.status);

  useEffect(() => {
    if (settled) return;
    const source = new EventSource(`/api/imports/${current.id}/events`);
    source.addEventListener("progress", (event) => {
      const next = JSON.parse((event as MessageEvent<string>).data) as ImportJson;
      setCurrent((previous) => (next.version >= previous.version ? next : previous));
      if (isTerminal(next.status)) source.close();
    });
    return () => source.close();
  }, [current.id, settled]);

  return current;
}

/** Time left, from the rate this tab has watched rows merge (immune to clock differences). */
export function useTimeLeft(item: ImportJson): number | null {
  const first = useRef<{ at: number; rows: number } | null>(null);
  if (item.status !== "processing") {
    first.current = null;
    return null;
  }
  const now = Date.now();
  if (!first.current) first.current = { at: now, rows: item.processedRows };
  const rows = item.processedRows - first.current.rows;
  const elapsed = now - first.current.at;
  if (rows <= 0 || elapsed < 300) return null;
  return ((item.totalRows - item.processedRows) / rows) * elapsed;
}
