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
 * Upserts one range of staged pages into the catalog. Pages hold rows in file order, so merging
 * the ranges in order lets a later row of a SKU overwrite an earlier one: the last row wins.
 * Rows identical to the stored product are not rewritten, so re-importing an export changes nothing.
 */
export async function mergeStagedChunk(db: Kysely<Database>, chunk: MergeChunk): Promise<{ created: number }> {
  const activeChange = chunk.fileHasActive ? sql`, active = excluded.active` : sql``;
  const activeCompared = chunk.fileHasActive ? sql`, p.active` : sql``;
  const activeIncoming = chunk.fileHasActive ? sql`, excluded.active` : sql``;
  const { rows } = await sql<{ created: string }>`
    WITH chunk AS (
      SELECT DISTINCT ON (sku_key(sku)) sku, name, description, active
      FROM ${chunk.staged}
      WHERE ctid >= ${`(${chunk.fromPage},0)`}::tid AND ctid < ${`(${chunk.toPage},0)`}::tid
      ORDER BY sku_key(sku), line DESC
    ), written AS (
      INSERT INTO products AS p (sku, name, description, active)
      SELECT sku, name, description, coalesce(active, true) FROM chunk
      ON CONFLICT (sku_key(sku)) DO UPDATE
        SET sku = excluded.sku, name = excluded.name, description = excluded.description${activeChange},
            updated_at = now()
        WHERE (p.sku, p.name, p.description${activeCompared})
              IS DISTINCT FROM (excluded.sku, excluded.name, excluded.description${activeIncoming})
      RETURNING xmax = 0 AS created
    )
    SELECT count(*) FILTER (WHERE created) AS created FROM written`.execute(db);
  return { created: Number(rows[0]!.created) };
}
