import { sql, type Kysely } from "kysely";
import type { ApiTokenScope, Database } from "../../db/schema.js";

export function insertApiToken(db: Kysely<Database>, token: { name: string; scope: ApiTokenScope; tokenHash: string }) {
  return db
    .insertInto("api_tokens")
    .values({ name: token.name, scope: token.scope, token_hash: token.tokenHash })
    .returning(["id", "name", "scope", "created_at", "last_used_at"])
    .executeTakeFirstOrThrow();
}

/** Tokens not revoked, newest first. */
export function listApiTokens(db: Kysely<Database>) {
  return db
    .selectFrom("api_tokens")
    .select(["id", "name", "scope", "created_at", "last_used_at"])
    .where("revoked_at", "is", null)
    .orderBy("id", "desc")
    .execute();
}

export function revokeApiToken(db: Kysely<Database>, id: string) {
  return db
    .updateTable("api_tokens")
    .set({ revoked_at: sql`now()` })
    .where("id", "=", id)
    .where("revoked_at", "is", null)
    .returning("id")
    .executeTakeFirst();
}

/** The live token with this hash, if any: one index probe, on every request a token makes. */
export function findLiveToken(db: Kysely<Database>, tokenHash: string) {
  return db
    .selectFrom("api_tokens")
    .select(["id", "scope", "last_used_at"])
    .where("token_hash", "=", tokenHash)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
}

export async function touchApiToken(db: Kysely<Database>, id: string): Promise<void> {
  await db
    .updateTable("api_tokens")
    .set({ last_used_at: sql`now()` })
    .where("id", "=", id)
    .execute();
}
