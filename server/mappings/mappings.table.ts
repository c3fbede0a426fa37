import { createHash } from "node:crypto";
import { sql, type Kysely } from "kysely";
import type { Database } from "../../db/schema.js";
import type { SavedMapping } from "./resolve-columns.js";
import { normalizeHeaderName } from "./header-name.js";
import type { ColumnMapping, ProfileId } from "./mapping.schema.js";

/** The header as compared: its normalized names, in order. */
export const headerKey = (header: readonly string[]) => header.map(normalizeHeaderName).join("\u001f");

/**
 * A header's key and the key's SHA-256, which is what saved mappings are unique on: an index entry
 * holds at most about 2.7 KB, less than the key of a header a few hundred columns wide.
 */
function keyed(header: readonly string[]) {
  const key = headerKey(header);
  return { header_key: key, header_hash: createHash("sha256").update(key, "utf8").digest() };
}

/** A saved mapping as read back: which row it is, and the header it was saved for. */
export type StoredMapping = SavedMapping & { id: string; header: string[] };

export async function findSavedMapping(db: Kysely<Database>, header: string[]): Promise<StoredMapping | undefined> {
  const { header_key, header_hash } = keyed(header);
  const row = await db
    .selectFrom("column_mappings")
    .select(["id", "header", "mapping", "profile"])
    .where("header_hash", "=", header_hash)
    .where("header_key", "=", header_key)
    .executeTakeFirst();
  return row ? stored(row) : undefined;
}

const stored = (row: { id: string; header: string[]; mapping: Record<string, string>; profile: string | null }): StoredMapping => ({
  id: row.id,
  header: row.header,
  mapping: row.mapping as ColumnMapping,
  profile: row.profile as ProfileId | null,
});

/** How many saved mappings a near match looks through: the most recently used ones. */
const NEAR_CANDIDATES = 50;

/**
 * Saved mappings that may fit a header they were not saved for, most recently used first: those
 * of the same platform, or (`profile: null`) of no platform with a header at most `apart` columns
 * wider or narrower.
 */
export async function savedMappingsNear(
  db: Kysely<Database>,
  near: { profile: ProfileId } | { profile: null; width: number; apart: number },
): Promise<StoredMapping[]> {
  let query = db.selectFrom("column_mappings").select(["id", "header", "mapping", "profile"]);
  query =
    near.profile === null
      ? query
          .where("profile", "is", null)
          .where(sql<number>`cardinality(header)`, ">=", near.width - near.apart)
          .where(sql<number>`cardinality(header)`, "<=", near.width + near.apart)
      : query.where("profile", "=", near.profile);
  const rows = await query.orderBy("last_used_at", "desc").orderBy("id", "desc").limit(NEAR_CANDIDATES).execute();
  return rows.map(stored);
}

/** Remembers (or replaces) the mapping for this header, however wide. */
export async function saveMapping(db: Kysely<Database>, header: string[], mapping: ColumnMapping, profile: ProfileId | null): Promise<void> {
  const key = keyed(header);
  await db
    .insertInto("column_mappings")
    .values({ header, ...key, mapping: JSON.stringify(mapping), profile })
    .onConflict((oc) =>
      oc
        .column("header_hash")
        .doUpdateSet({ header, header_key: key.header_key, mapping: JSON.stringify(mapping), profile, last_used_at: sql`now()` }),
    )
    .execute();
}

export async function touchMapping(db: Kysely<Database>, id: string): Promise<void> {
  await db
    .updateTable("column_mappings")
    .set({ last_used_at: sql`now()` })
    .where("id", "=", id)
    .execute();
}

export function listMappings(db: Kysely<Database>) {
  return db
    .selectFrom("column_mappings")
    .select(["id", "header", "mapping", "profile", "created_at", "last_used_at"])
    .orderBy("last_used_at", "desc")
    .orderBy("id", "desc")
    .execute();
}

export function deleteMappingRow(db: Kysely<Database>, id: string) {
  return db.deleteFrom("column_mappings").where("id", "=", id).returning("id").executeTakeFirst();
}
