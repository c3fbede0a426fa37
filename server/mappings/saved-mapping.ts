import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.js";
import { HeaderColumns } from "./header-columns.js";
import { findSavedMapping, savedMappingsNear, type StoredMapping } from "./mappings.table.js";
import { detectProfile } from "./profiles.js";

/** What a saved mapping was saved for: this very header, a file of the same platform, or a header a column apart. */
export type SavedMatch = "header" | "platform" | "near";
export type FoundMapping = StoredMapping & { match: SavedMatch };

/** A file of no platform whose header differs from a saved one by this many names (added or left out) is the same kind of file. */
const NAMES_APART = 1;

/** How many names one header has that the other lacks, and the other way round (each name as compared, counted). */
function namesApart(a: readonly string[], b: readonly string[]): number {
  const left = new Map<string, number>();
  for (const name of a) left.set(name, (left.get(name) ?? 0) + 1);
  let apart = 0;
  for (const name of b) {
    const n = left.get(name) ?? 0;
    if (n > 0) left.set(name, n - 1);
    else apart += 1;
  }
  for (const n of left.values()) apart += n;
  return apart;
}

/**
 * The mapping remembered for this header: one saved for exactly this header, else the most recently
 * used one saved for a file of the same platform (whose export gains and loses columns between
 * versions and apps), else for a file of no platform whose header has a column more or less. A
 * candidate is taken only when the header has every column it maps.
 */
export async function findMappingFor(db: Kysely<Database>, header: string[]): Promise<FoundMapping | undefined> {
  const exact = await findSavedMapping(db, header);
  if (exact) return { ...exact, match: "header" };
  const columns = new HeaderColumns(header);
  const profile = detectProfile(columns)?.profile.id ?? null;
  const candidates = await savedMappingsNear(db, profile ? { profile } : { profile: null, width: header.length, apart: NAMES_APART });
  const near = candidates.find(
    (saved) =>
      Object.values(saved.mapping).every((column) => column === undefined || columns.has(column)) &&
      (profile !== null || namesApart(columns.normalized, new HeaderColumns(saved.header).normalized) <= NAMES_APART),
  );
  return near && { ...near, match: profile ? "platform" : "near" };
}
