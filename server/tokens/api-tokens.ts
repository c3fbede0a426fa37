import { createHash, randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import type { ApiTokenScope, Database } from "../../db/schema.js";
import { Refusal } from "../refusal.js";
import { findLiveToken, insertApiToken, listApiTokens, revokeApiToken, touchApiToken } from "./api-tokens.table.js";

/** What every token starts with, so a bearer can be told from the password at a glance (and by secret scanners). */
export const TOKEN_PREFIX = "pit_";
export const isApiToken = (bearer: string) => bearer.startsWith(TOKEN_PREFIX);

/** The secret is 32 random bytes: a hash without salt or stretching cannot be reversed, and is one index probe away. */
const hashOf = (token: string) => createHash("sha256").update(token, "utf8").digest("hex");

/** `last_used_at` is written at most this often per token, not on every request. */
const TOUCH_EVERY_MS = 60_000;

const toJson = (row: { id: string; name: string; scope: ApiTokenScope; created_at: Date; last_used_at: Date | null }) => ({
  id: row.id,
  name: row.name,
  scope: row.scope,
  createdAt: row.created_at.toISOString(),
  lastUsedAt: row.last_used_at?.toISOString() ?? null,
});

/** A new token; its secret is in the answer only, never stored. */
export async function createApiToken(db: Kysely<Database>, input: { name: string; scope: ApiTokenScope }) {
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
  const row = await insertApiToken(db, { ...input, tokenHash: hashOf(token) });
  return { ...toJson(row), token };
}

export async function apiTokens(db: Kysely<Database>) {
  return (await listApiTokens(db)).map(toJson);
}

export async function revokeToken(db: Kysely<Database>, id: string) {
  if (!(await revokeApiToken(db, id))) throw new Refusal("not_found", `There is no API token ${id} (or it was revoked already).`);
  return { id };
}

/** The token a bearer names, if it is live; notes its use. Every process asks the database, so a revocation holds at once everywhere. */
export async function verifyApiToken(db: Kysely<Database>, bearer: string): Promise<{ id: string; scope: ApiTokenScope } | undefined> {
  const token = await findLiveToken(db, hashOf(bearer));
  if (!token) return undefined;
  if (!token.last_used_at || Date.now() - token.last_used_at.getTime() > TOUCH_EVERY_MS) await touchApiToken(db, token.id);
  return { id: token.id, scope: token.scope };
}
