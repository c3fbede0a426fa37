import { sql, type Kysely } from "kysely";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { Database } from "../../../db/schema.js";
import { productRows } from "../product-rows.js";
import { BEFORE_IMAGE } from "../../products/before-image.js";
import { STAGED_ROW, stagedRowCopy } from "./staged-row.js";
import type { CommerceField } from "../../products/commerce-fields.schema.js";

/**
 * Accepted rows wait in one unlogged table per import (docs/decisions/0001-staging-table-per-import.md):
 * COPY into a fresh table is the fastest write Postgres has, and dropping it frees everything at once.
 */
function stagingName(importId: string): string {
  if (!/^\d+$/.test(importId)) throw new Error(`Not an import id: ${importId}`);
  return `import_${importId}`;
}

/**
 * What an import keeps beside its staged rows, each its own table: the SKUs of its rejected rows
 * (a sync keeps those products), the review's changes, the SKUs repeated in its file, and what its
 * merge overwrote, as it was (what an undo puts back; docs/decisions/0011-review-and-undo.md).
 */
const STAGING_PARTS = ["kept", "diff", "repeated", "before"] as const;
export type StagingPart = (typeof STAGING_PARTS)[number];

export function stagingTable(importId: string, part?: StagingPart) {
  return sql.id("staging", part ? `${stagingName(importId)}_${part}` : stagingName(importId));
}

export const keptSkusTable = (importId: string) => stagingTable(importId, "kept");
export const beforeImagesTable = (importId: string) => stagingTable(importId, "before");

export async function stagingPartExists(db: Kysely<Database>, importId: string, part: StagingPart): Promise<boolean> {
  const { rows } = await sql<{ exists: boolean }>`
    SELECT to_regclass(${`staging.${stagingName(importId)}_${part}`}) IS NOT NULL AS exists`.execute(db);
  return rows[0]!.exists;
}

/** Records the rejected rows' SKUs (inside the staging transaction, like the rows themselves). */
export async function stageKeptSkus(db: Kysely<Database>, importId: string, skus: string[]): Promise<void> {
  await sql`CREATE UNLOGGED TABLE ${keptSkusTable(importId)} (sku text NOT NULL)`.execute(db);
  if (skus.length) await sql`INSERT INTO ${keptSkusTable(importId)} (sku) SELECT unnest(${skus}::text[])`.execute(db);
}

/** Where the merge keeps what it overwrites (server/products/before-image.ts). */
export async function createBeforeImagesTable(db: Kysely<Database>, importId: string): Promise<void> {
  await sql`DROP TABLE IF EXISTS ${beforeImagesTable(importId)}`.execute(db);
  await sql`CREATE UNLOGGED TABLE ${beforeImagesTable(importId)} ${sql.raw(BEFORE_IMAGE.definition)}`.execute(db);
}

export async function createStagingTable(db: Kysely<Database>, importId: string): Promise<void> {
  await sql`CREATE UNLOGGED TABLE ${stagingTable(importId)} ${sql.raw(STAGED_ROW.definition)}`.execute(db);
}

/**
 * COPY FREEZE needs the table created in the same transaction; it skips later hint-bit writes.
 * Rows added to a table staged earlier (fixed rejected rows joining a review) are copied plainly.
 * Only the commerce columns the file writes are copied (the others stay null).
 */
export function openStagingCopy(client: pg.PoolClient, importId: string, commerce: readonly CommerceField[], attributes: boolean, freeze = true) {
  const columns = stagedRowCopy(commerce, attributes).columnList;
  return client.query(copyFrom(`COPY staging.${stagingName(importId)} (${columns}) FROM STDIN${freeze ? " WITH (FREEZE)" : ""}`));
}

export async function stagingTableExists(db: Kysely<Database>, importId: string): Promise<boolean> {
  const { rows } = await sql<{ exists: boolean }>`
    SELECT to_regclass(${`staging.${stagingName(importId)}`}) IS NOT NULL AS exists`.execute(db);
  return rows[0]!.exists;
}

/**
 * Whether the import's accepted rows are no longer there to apply: its table is gone, or empty
 * although rows were accepted (crash recovery empties unlogged tables; a clean restart keeps them).
 */
export async function stagedRowsLost(db: Kysely<Database>, row: { id: string } & Parameters<typeof productRows>[0]): Promise<boolean> {
  if (!(await stagingTableExists(db, row.id))) return true;
  if (productRows(row) <= 0) return false;
  const { rows } = await sql<{ empty: boolean }>`SELECT NOT EXISTS (SELECT FROM ${stagingTable(row.id)}) AS empty`.execute(db);
  return rows[0]!.empty;
}

/** Drops everything an import keeps in the staging schema: its rows, every part, the counter. */
export async function dropStagingTable(db: Kysely<Database>, importId: string): Promise<void> {
  await dropStagedRows(db, importId, STAGING_PARTS);
}

/**
 * Drops the staged rows and the given parts. A completed import keeps its before-images (for an
 * undo) and its repeated SKUs (for its page) until the retention ends.
 */
export async function dropStagedRows(db: Kysely<Database>, importId: string, parts: readonly StagingPart[] = ["kept", "diff"]): Promise<void> {
  const tables = [stagingTable(importId), ...parts.map((part) => stagingTable(importId, part))];
  await sql`DROP TABLE IF EXISTS ${sql.join(tables)}`.execute(db);
  await sql`DROP SEQUENCE IF EXISTS ${sql.id("staging", `${stagingName(importId)}_progress`)}`.execute(db);
}

/**
 * How far the merge statement has got: a sequence it advances per row. Sequences are not
 * transactional, so other connections see it move while the merge transaction is still open.
 * Create (or rewind) it outside that transaction.
 */
export async function resetMergeCounter(db: Kysely<Database>, importId: string): Promise<void> {
  const counter = sql.id("staging", `${stagingName(importId)}_progress`);
  await sql`CREATE SEQUENCE IF NOT EXISTS ${counter} CACHE 1000`.execute(db);
  await sql`ALTER SEQUENCE ${counter} RESTART`.execute(db);
}

export function mergeCounter(importId: string) {
  return sql`${`staging.${stagingName(importId)}_progress`}::regclass`;
}

/** Rows the merge has fed in so far (rounded up to its cache of 1,000). */
export async function readMergeCounter(db: Kysely<Database>, importId: string): Promise<number> {
  const { rows } = await sql<{ value: string }>`
    SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS value
    FROM ${sql.id("staging", `${stagingName(importId)}_progress`)}`.execute(db);
  return Number(rows[0]?.value ?? 0);
}

export async function countDistinctStagedSkus(db: Kysely<Database>, importId: string): Promise<number> {
  const { rows } = await sql<{ count: string }>`
    SELECT count(DISTINCT sku_key(sku)) AS count FROM ${stagingTable(importId)}`.execute(db);
  return Number(rows[0]!.count);
}

/** Bytes the import keeps in the staging schema (staged rows, before-images), for the figures. */
export async function stagedBytes(db: Kysely<Database>, importId: string): Promise<{ staged: number; before: number }> {
  const size = (table: string) => sql<{ bytes: string | null }>`SELECT pg_total_relation_size(to_regclass(${table})) AS bytes`.execute(db);
  const [staged, before] = await Promise.all([size(`staging.${stagingName(importId)}`), size(`staging.${stagingName(importId)}_before`)]);
  return { staged: Number(staged.rows[0]!.bytes ?? 0), before: Number(before.rows[0]!.bytes ?? 0) };
}
