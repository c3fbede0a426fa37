import { sql, type Kysely } from "kysely";
import type { Database, ImportGuard, SyncAction } from "../../../db/schema.js";
import { countWords } from "../../count-words.js";
import type { MergeCounts, MergePlan } from "../../products/catalog-merge.js";
import { DEFAULT_GUARD, GUARD_KEYS, type GuardLimit } from "../import-guard.schema.js";

/** What a guard weighs: what the file changes, and the sizes they are shares of. */
export interface GuardCounts {
  catalogSize: number;
  totalRows: number;
  rejected: number;
  /** Products a sync takes away, and active products the file switches off. */
  removed: number;
  deactivated: number;
  /** Products whose values change. */
  changed: number;
  /** The most of descriptions, barcodes and images that become empty. */
  emptied: number;
  pricesHalved: number;
  syncAction: SyncAction;
}

const share = (part: number, whole: number) => (whole > 0 ? (part / whole) * 100 : 0);
const percentText = (value: number) => `${value < 10 ? Math.round(value * 10) / 10 : Math.round(value)}%`;

/** Each limit's count and what it would do, in words ("would deactivate 310 products"). */
function measures(counts: GuardCounts): Record<GuardLimit, { count: number; whole: number; words: string }> {
  const removed = counts.removed + counts.deactivated;
  const removing = counts.syncAction === "delete" && counts.deactivated === 0 ? "delete" : "deactivate";
  return {
    maxRemovedPercent: { count: removed, whole: counts.catalogSize, words: `would ${removing} ${countWords(removed, "product", "products")}` },
    maxRejectedPercent: {
      count: counts.rejected,
      whole: counts.totalRows,
      words: `would reject ${countWords(counts.rejected, "row", "rows")} of the file`,
    },
    maxUpdatedPercent: {
      count: counts.changed,
      whole: counts.catalogSize,
      words: `would change ${countWords(counts.changed, "product", "products")}`,
    },
    maxEmptiedPercent: {
      count: counts.emptied,
      whole: counts.catalogSize,
      words: `would empty the descriptions, barcodes or images of ${countWords(counts.emptied, "product", "products")}`,
    },
    maxPriceDropPercent: {
      count: counts.pricesHalved,
      whole: counts.catalogSize,
      words: `would cut ${countWords(counts.pricesHalved, "price", "prices")} by more than half`,
    },
  };
}

/**
 * Whether an import may commit without a person: null within every limit, else why not, in words
 * ("would deactivate 144,675 products (31% of the catalog); this feed allows 5%"), naming every
 * limit gone past. Only the limits whose counts are given are weighed (the rest count as none).
 */
export function guardVerdict(guard: Partial<ImportGuard>, counts: GuardCounts): string | null {
  const limits = { ...DEFAULT_GUARD, ...guard };
  const measured = measures(counts);
  const past = GUARD_KEYS.flatMap((key) => {
    const { count, whole, words } = measured[key];
    const percent = share(count, whole);
    if (count === 0 || percent <= limits[key]) return [];
    const of = key === "maxRejectedPercent" ? "of its rows" : "of the catalog";
    return [`${words} (${percentText(percent)} ${of}); this feed allows ${limits[key]}%`];
  });
  return past.length ? `it ${past.join("; and ")}` : null;
}

/**
 * What a merge changed, read inside its transaction before it commits: its counts, and the
 * products it changed compared with what it overwrote (its before-images), so only the changed
 * rows are read. A file into an empty catalog reads none.
 */
export async function measureMerge(
  tx: Kysely<Database>,
  plan: MergePlan,
  merged: MergeCounts,
  sizes: Pick<GuardCounts, "catalogSize" | "totalRows" | "rejected">,
): Promise<GuardCounts> {
  const writes = (field: string) => plan.commerce.includes(field as never);
  const { rows } = await sql<{ deactivated: string; descriptions: string; barcodes: string; images: string; prices: string }>`
    SELECT count(*) FILTER (WHERE b.active AND NOT p.active) AS deactivated,
           count(*) FILTER (WHERE b.description <> '' AND p.description = '') AS descriptions,
           ${writes("barcode") ? sql`count(*) FILTER (WHERE b.barcode IS NOT NULL AND p.barcode IS NULL)` : sql`0`} AS barcodes,
           ${writes("images") ? sql`count(*) FILTER (WHERE b.images <> '{}' AND p.images = '{}')` : sql`0`} AS images,
           ${writes("price") ? sql`count(*) FILTER (WHERE b.price > 0 AND p.price < b.price / 2)` : sql`0`} AS prices
    FROM ${plan.before} AS b JOIN products AS p ON p.id = b.product_id
    WHERE b.kind = 'updated'`.execute(tx);
  const n = (name: keyof (typeof rows)[number]) => Number(rows[0]![name]);
  return {
    ...sizes,
    removed: merged.removed,
    deactivated: n("deactivated"),
    changed: merged.changed,
    emptied: Math.max(n("descriptions"), n("barcodes"), n("images")),
    pricesHalved: n("prices"),
    syncAction: plan.syncAction,
  };
}
