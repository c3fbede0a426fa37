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
  return client.query(
    copyFrom(`COPY staging.${stagingName(importId)} (line, sku, name, description, active) FROM STDIN WITH (FREEZE)`),
  );
}

const COPY_SPECIAL = /[\\\t\n\r]/;
function copyText(value: string): string {
  if (!COPY_SPECIAL.test(value)) return value;
  return value.replace(/[\\\t\n\r]/g, (char) =>
    char === "\\" ? "\\\\" : char === "\t" ? "\\t" : char === "\n" ? "\\n" : "\\r",
  );
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

export async function dropStagingTable(db: Kysely<Database>, importId: string): Promise<void> {
  await sql`DROP TABLE IF EXISTS ${stagingTable(importId)}`.execute(db);
}

/** Heap pages of the staged rows: the merge walks them in order, a range of pages at a time. */
export async function stagedPageCount(db: Kysely<Database>, importId: string): Promise<number> {
  const { rows } = await sql<{ pages: string }>`
    SELECT pg_relation_size(${`staging.${stagingName(importId)}`}::regclass) / current_setting('block_size')::int AS pages`.execute(
    db,
  );
  return Number(rows[0]!.pages);
}

export async function countDistinctStagedSkus(db: Kysely<Database>, importId: string): Promise<number> {
  const { rows } = await sql<{ count: string }>`
    SELECT count(DISTINCT sku_key(sku)) AS count FROM ${stagingTable(importId)}`.execute(db);
  return Number(rows[0]!.count);
}
