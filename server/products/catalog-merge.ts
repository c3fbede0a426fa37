import { sql, type Kysely } from "kysely";
import type { Database } from "../../db/schema.js";

export interface MergeChunk {
  /** The staging table holding the import's accepted rows. */
  staged: ReturnType<typeof sql.id>;
  fromPage: number;
  toPage: number;
  /** Without an `active` column the file leaves existing products' flag alone. */
  fileHasActive: boolean;
}

/**
 * Merges one range of staged pages into the catalog. Pages hold rows in file order, so merging the
 * ranges in order lets a later row of a SKU overwrite an earlier one: the last row wins.
 *
 * Existing SKUs are updated and new ones inserted plainly, which measured ~25% faster than
 * INSERT … ON CONFLICT (docs/decisions/0003-merge.md). A product created meanwhile by someone else
 * makes the insert fail with a unique violation; the caller then retries the whole import.
 * Rows identical to the stored product are not rewritten, so re-importing an export changes nothing.
 */
export async function mergeStagedChunk(db: Kysely<Database>, chunk: MergeChunk): Promise<{ created: number }> {
  const active = chunk.fileHasActive;
  const { rows } = await sql<{ created: string }>`
    WITH chunk AS MATERIALIZED (
      SELECT c.*, existing.id AS existing_id
      FROM (
        SELECT DISTINCT ON (sku_key(sku)) sku_key(sku) AS key, sku, name, description, active
        FROM ${chunk.staged}
        WHERE ctid >= ${`(${chunk.fromPage},0)`}::tid AND ctid < ${`(${chunk.toPage},0)`}::tid
        ORDER BY sku_key(sku), line DESC
      ) AS c
      -- LATERAL keeps this an index probe per row, never a scan of the whole catalog per chunk.
      LEFT JOIN LATERAL (SELECT p.id FROM products AS p WHERE sku_key(p.sku) = c.key) AS existing ON true
    ), updated AS (
      UPDATE products AS p
      SET sku = c.sku, name = c.name, description = c.description${active ? sql`, active = c.active` : sql``},
          updated_at = now()
      FROM chunk AS c
      WHERE p.id = c.existing_id
        AND (p.sku, p.name, p.description${active ? sql`, p.active` : sql``})
            IS DISTINCT FROM (c.sku, c.name, c.description${active ? sql`, c.active` : sql``})
    ), inserted AS (
      INSERT INTO products (sku, name, description, active)
      SELECT c.sku, c.name, c.description, coalesce(c.active, true)
      FROM chunk AS c
      -- Already in key order (DISTINCT ON sorted it), which keeps the SKU index inserts local.
      WHERE c.existing_id IS NULL
      RETURNING 1
    )
    SELECT count(*) AS created FROM inserted`.execute(db);
  return { created: Number(rows[0]!.created) };
}
