import { describe, expect, it } from "vitest";
import { DEFAULT_GUARD } from "../import-guard.schema.js";
import { guardVerdict, type GuardCounts } from "./import-guard.js";

const counts = (given: Partial<GuardCounts>): GuardCounts => ({
  catalogSize: 1_000,
  totalRows: 1_000,
  rejected: 0,
  removed: 0,
  deactivated: 0,
  changed: 0,
  emptied: 0,
  pricesHalved: 0,
  syncAction: "deactivate",
  ...given,
});

describe("the guard", () => {
  it("lets a file within every limit through", () => {
    expect(guardVerdict(DEFAULT_GUARD, counts({ changed: 900, removed: 50, emptied: 50, pricesHalved: 50, rejected: 50 }))).toBeNull();
  });

  it("names each limit gone past, with the share and what the feed allows", () => {
    expect(guardVerdict(DEFAULT_GUARD, counts({ removed: 310 }))).toBe("it would deactivate 310 products (31% of the catalog); this feed allows 5%");
    expect(guardVerdict(DEFAULT_GUARD, counts({ removed: 60, syncAction: "delete" }))).toBe(
      "it would delete 60 products (6% of the catalog); this feed allows 5%",
    );
    expect(guardVerdict({ maxUpdatedPercent: 50 }, counts({ changed: 512, emptied: 77, rejected: 61 }))).toBe(
      "it would reject 61 rows of the file (6.1% of its rows); this feed allows 5%; and would change 512 products (51% of the catalog); this feed allows 50%; and would empty the descriptions, barcodes or images of 77 products (7.7% of the catalog); this feed allows 5%",
    );
    expect(guardVerdict({ maxPriceDropPercent: 1 }, counts({ pricesHalved: 11 }))).toBe(
      "it would cut 11 prices by more than half (1.1% of the catalog); this feed allows 1%",
    );
  });

  it("counts products the file switches off as removed, and reads nothing as a share of an empty catalog", () => {
    expect(guardVerdict(DEFAULT_GUARD, counts({ deactivated: 200 }))).toContain("would deactivate 200 products (20% of the catalog)");
    expect(guardVerdict(DEFAULT_GUARD, counts({ catalogSize: 0 }))).toBeNull();
    expect(guardVerdict({ maxRemovedPercent: 0 }, counts({}))).toBeNull();
    expect(guardVerdict({ maxRemovedPercent: 0 }, counts({ removed: 1 }))).toContain(
      "would deactivate 1 product (0.1% of the catalog); this feed allows 0%",
    );
  });
});
