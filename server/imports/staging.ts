import { sql, type Kysely } from "kysely";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { Database } from "../../db/schema.js";
import type { AcceptedRow } from "./csv-row.js";

/**
 * Accepted rows wait in one unlogged table per import (docs/decisions/0001-staging-table-per-import.md):
 * COPY into a fresh table is the fastest write Postgres has, and dropping it frees everything at once.
 */
function stagingName(importId: string): string {
  if (!/^\d+$/.test(importId)) throw new Error(`Not an import id: ${importId}`);
  return `import_${importId}`;
}

export function stagingTable(importId: string) {
  return sql.id("staging", stagingName(importId));
}

export async function createStagingTable(db: Kysely<Database>, importId: string): Promise<void> {
  await sql`
    CREATE UNLOGGED TABLE ${stagingTable(importId)} (
      line integer NOT NULL,
      sku text NOT NULL,
      name text NOT NULL,
      description text NOT NULL,
      active boolean
    )`.execute(db);
}

/** COPY FREEZE needs the table created in the same transaction; it skips later hint-bit writes. */
export function openStagingCopy(client: pg.PoolClient, importId: string) {
  return client.query(copyFrom(`COPY staging.${stagingName(importId)} (line, sku, name, description, active) FROM STDIN WITH (FREEZE)`));
}

const COPY_SPECIAL = /[\\\t\n\r]/;
function copyText(value: string): string {
  if (!COPY_SPECIAL.test(value)) return value;
  return value.replace(/[\\\t\n\r]/g, (char) => (char === "\\" ? "\\\\" : char === "\t" ? "\\t" : char === "\n" ? "\\n" : "\\r"));
}

/** One row in COPY's text format. */
export function copyLine(row: AcceptedRow): string {
  const active = row.active === null ? "\\N" : row.active ? "t" : "f";
  return `${row.line}\t${copyText(row.sku)}\t${copyText(row.name)}\t${copyText(row.description)}\t${active}\n`;
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
export async function stagedRowsLost(db: Kysely<Database>, row: { id: string; total_rows: number; error_count: number }): Promise<boolean> {
  if (!(await stagingTableExists(db, row.id))) return true;
  if (row.total_rows - row.error_count <= 0) return false;
  const { rows } = await sql<{ empty: boolean }>`SELECT NOT EXISTS (SELECT FROM ${stagingTable(row.id)}) AS empty`.execute(db);
  return rows[0]!.empty;
}

export async function dropStagingTable(db: Kysely<Database>, importId: string): Promise<void> {
  await sql`DROP TABLE IF EXISTS ${stagingTable(importId)}`.execute(db);
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
