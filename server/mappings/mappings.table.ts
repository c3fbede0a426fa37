import { sql, type Kysely } from "kysely";
import type { Database } from "../../db/schema.js";
import type { ProfileId } from "./profiles.js";
import type { SavedMapping } from "./resolve-columns.js";
import { normalizeHeaderName, type ColumnMapping } from "./target-fields.js";

/** The header as compared: its normalized names, in order. */
export const headerKey = (header: string[]) => header.map(normalizeHeaderName).join("\u001f");

export async function findSavedMapping(db: Kysely<Database>, header: string[]): Promise<(SavedMapping & { id: string }) | undefined> {
  const row = await db
    .selectFrom("column_mappings")
    .select(["id", "mapping", "profile"])
    .where("header_key", "=", headerKey(header))
    .executeTakeFirst();
  return row ? { id: row.id, mapping: row.mapping as ColumnMapping, profile: row.profile as ProfileId | null } : undefined;
}

/** Remembers (or replaces) the mapping for this header. */
export async function saveMapping(db: Kysely<Database>, header: string[], mapping: ColumnMapping, profile: ProfileId | null): Promise<void> {
  await db
    .insertInto("column_mappings")
    .values({ header, header_key: headerKey(header), mapping: JSON.stringify(mapping), profile })
    .onConflict((oc) => oc.column("header_key").doUpdateSet({ header, mapping: JSON.stringify(mapping), profile, last_used_at: sql`now()` }))
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
  return db.selectFrom("column_mappings").selectAll().orderBy("last_used_at", "desc").orderBy("id", "desc").execute();
}

export function deleteMappingRow(db: Kysely<Database>, id: string) {
  return db.deleteFrom("column_mappings").where("id", "=", id).returning("id").executeTakeFirst();
}
