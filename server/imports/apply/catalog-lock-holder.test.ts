import type { Kysely } from "kysely";
import { describe, expect, it } from "vitest";
import type { Database } from "../../../db/schema.js";
import { asLockHolder, type CatalogLockHolder, type OutsideTheLock } from "./catalog-lock-holder.js";

// Checked by `npm run typecheck` (tsc reads this file): each @ts-expect-error line must not compile.
const needsLock = (tx: CatalogLockHolder) => tx;
const needsOutside = (db: OutsideTheLock) => db;

describe("the handles of a merge", () => {
  it("cannot be swapped: the pool is no lock holder, and the lock holder is not the pool", () => {
    const pool = {} as Kysely<Database>;
    const locked = asLockHolder(pool);
    needsLock(locked);
    needsOutside(pool);
    // @ts-expect-error the pool where the transaction holding the catalog lock belongs
    needsLock(pool);
    // @ts-expect-error the lock-holding transaction where writes that must show before it commits belong
    needsOutside(locked);
    expect(locked).toBe(pool);
  });
});
