import type { FeedGuard, ReviewSummary, SyncAction } from "../../db/schema.js";
import { countWords } from "../count-words.js";
import { GUARD_KEYS, type GuardLimit } from "./feed.schema.js";

/** What the guard reads of a staged import beside its review. */
export interface GuardedImport {
  totalRows: number;
  rejectedRows: number;
  syncAction: SyncAction;
}

const share = (part: number, whole: number) => (whole > 0 ? (part / whole) * 100 : 0);
const percentText = (value: number) => `${value < 10 ? Math.round(value * 10) / 10 : Math.round(value)}%`;

/** Each limit's count and what it would do, in words ("would deactivate … of the catalog"). */
function measures(summary: ReviewSummary, staged: GuardedImport): Record<GuardLimit, { count: number; whole: number; words: string }> {
  const catalog = summary.catalogSize;
  const emptied = Math.max(summary.descriptionsEmptied, summary.barcodesEmptied ?? 0, summary.imagesEmptied ?? 0);
  const removed = summary.removed + summary.deactivated;
  return {
    maxRemovedPercent: {
      count: removed,
      whole: catalog,
      words: `would ${staged.syncAction === "delete" && summary.deactivated === 0 ? "delete" : "deactivate"} ${countWords(removed, "product", "products")}`,
    },
    maxRejectedPercent: {
      count: staged.rejectedRows,
      whole: staged.totalRows,
      words: `would reject ${countWords(staged.rejectedRows, "row", "rows")} of the file`,
    },
    maxUpdatedPercent: { count: summary.updated, whole: catalog, words: `would change ${countWords(summary.updated, "product", "products")}` },
    maxEmptiedPercent: {
      count: emptied,
      whole: catalog,
      words: `would empty the descriptions, barcodes or images of ${countWords(emptied, "product", "products")}`,
    },
    maxPriceDropPercent: {
      count: summary.pricesHalved ?? 0,
      whole: catalog,
      words: `would cut ${countWords(summary.pricesHalved ?? 0, "price", "prices")} by more than half`,
    },
  };
}

/**
 * Whether a feed's changed file may be applied without a person: null when its review stays within
 * every limit, else why not, in words ("would deactivate 144,675 products (31% of the catalog);
 * this feed allows 5%"). Every limit gone past is named.
 */
export function guardVerdict(guard: FeedGuard, summary: ReviewSummary, staged: GuardedImport): string | null {
  const counts = measures(summary, staged);
  const past = GUARD_KEYS.flatMap((key) => {
    const { count, whole, words } = counts[key];
    const percent = share(count, whole);
    if (count === 0 || percent <= guard[key]) return [];
    const of = key === "maxRejectedPercent" ? "of its rows" : "of the catalog";
    return [`${words} (${percentText(percent)} ${of}); this feed allows ${guard[key]}%`];
  });
  return past.length ? past.join("; and ") : null;
}
