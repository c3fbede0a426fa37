import { sql, type Kysely } from "kysely";
import type { Database } from "../../../db/schema.js";
import { dropStagedRows, stagingPartExists, stagingTable, stagingTableExists } from "./staging-table.js";

export interface RepeatedSku {
  /** As the row that was applied spells it: the file's last row of the SKU. */
  sku: string;
  rows: number;
  /** Every line that names it, in file order; the last one is the one applied. */
  lines: number[];
}

/** SKUs the staged rows name more than once (case-insensitively), in the order the file first names them. */
const repeatedInStaging = (importId: string) => sql`
  SELECT (array_agg(sku ORDER BY line DESC))[1] AS sku, count(*)::int AS rows, array_agg(line ORDER BY line) AS lines
  FROM ${stagingTable(importId)} GROUP BY sku_key(sku) HAVING count(*) > 1`;

/**
 * After a merge commits, its staged rows go (60 MB per 500,000 rows); the few SKUs its file
 * repeated are kept beside its before-images, so the finished import can still list them.
 */
export async function settleStagedRows(db: Kysely<Database>, importId: string): Promise<void> {
  const row = await db.selectFrom("imports").select(["id", "repeated_count"]).where("id", "=", importId).executeTakeFirstOrThrow();
  if (row.repeated_count > 0 && (await stagingTableExists(db, row.id))) {
    await sql`DROP TABLE IF EXISTS ${stagingTable(row.id, "repeated")}`.execute(db);
    await sql`CREATE UNLOGGED TABLE ${stagingTable(row.id, "repeated")} AS ${repeatedInStaging(row.id)}`.execute(db);
  }
  await dropStagedRows(db, row.id);
}

/** One page of the repeated SKUs; undefined once neither the staged rows nor the kept list are there. */
export async function listRepeatedSkus(
  db: Kysely<Database>,
  importId: string,
  page: number,
  pageSize: number,
): Promise<{ items: RepeatedSku[]; total: number } | undefined> {
  const source = (await stagingPartExists(db, importId, "repeated"))
    ? sql`${stagingTable(importId, "repeated")}`
    : (await stagingTableExists(db, importId))
      ? sql`(${repeatedInStaging(importId)})`
      : undefined;
  if (!source) return undefined;
  const { rows } = await sql<RepeatedSku & { total: string }>`
    SELECT sku, rows, lines, count(*) OVER () AS total FROM ${source} AS repeated
    ORDER BY lines[1] LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`.execute(db);
  const total = rows.length ? Number(rows[0]!.total) : await countAll(db, source);
  return { items: rows.map(({ total: _total, ...item }) => item), total };
}

async function countAll(db: Kysely<Database>, source: ReturnType<typeof sql>): Promise<number> {
  const { rows } = await sql<{ total: string }>`SELECT count(*) AS total FROM ${source} AS repeated`.execute(db);
  return Number(rows[0]!.total);
}
