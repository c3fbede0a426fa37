import { sql, type Kysely, type RawBuilder } from "kysely";
import type { Database } from "../../db/schema.js";

export interface StagedSource {
  /** The staging table holding the import's accepted rows. */
  staged: RawBuilder<unknown>;
  /** A sequence the statement advances once per row it feeds in, so others can watch it move. */
  progress: RawBuilder<unknown>;
  /** Without an `active` column the file leaves existing products' flag alone. */
  fileHasActive: boolean;
  /** Some rows' active cell was empty (a platform's "not said"): those products keep their flag. */
  activeGaps?: boolean;
}

/**
 * The file's last row per SKU (case-insensitively), in key order so the SKU index is filled
 * sequentially. `nextval` in the WHERE ticks as each row reaches the insert.
 */
function latestRows(source: StagedSource) {
  return sql`
    SELECT sku, name, description, active
    FROM (
      SELECT DISTINCT ON (sku_key(sku)) sku, name, description, active
      FROM ${source.staged}
      ORDER BY sku_key(sku), line DESC
    ) AS latest
    WHERE nextval(${source.progress}) > 0`;
}

/**
 * The first import into an empty catalog has nothing to match against: a plain INSERT, measured
 * ~10% under INSERT … ON CONFLICT of the same rows.
 */
export async function insertIntoEmptyCatalog(db: Kysely<Database>, source: StagedSource): Promise<{ created: number }> {
  const result = await sql`
    INSERT INTO products (sku, name, description, active)
    SELECT sku, name, description, coalesce(active, true) FROM (${latestRows(source)}) AS rows`.execute(db);
  return { created: Number(result.numAffectedRows ?? 0) };
}

/**
 * Every later import: one upsert of the file's last row per SKU. Rows identical to the stored
 * product are not rewritten, so re-importing an export changes nothing.
 */
export async function upsertIntoCatalog(db: Kysely<Database>, source: StagedSource): Promise<{ created: number }> {
  const active = source.fileHasActive;
  // Only files with empty active cells pay for looking up each product's current flag.
  const latest = source.activeGaps
    ? sql`SELECT rows.sku, rows.name, rows.description, coalesce(rows.active, stored.active, true) AS active
          FROM (${latestRows(source)}) AS rows LEFT JOIN products AS stored ON sku_key(stored.sku) = sku_key(rows.sku)`
    : sql`SELECT sku, name, description, coalesce(active, true) FROM (${latestRows(source)}) AS rows`;
  const { rows } = await sql<{ created: string }>`
    WITH written AS (
      INSERT INTO products AS p (sku, name, description, active)
      ${latest}
      ON CONFLICT (sku_key(sku)) DO UPDATE
        SET sku = excluded.sku, name = excluded.name, description = excluded.description${active ? sql`, active = excluded.active` : sql``},
            updated_at = now()
        WHERE (p.sku, p.name, p.description${active ? sql`, p.active` : sql``})
              IS DISTINCT FROM (excluded.sku, excluded.name, excluded.description${active ? sql`, excluded.active` : sql``})
      RETURNING xmax = 0 AS created
    )
    SELECT count(*) FILTER (WHERE created) AS created FROM written`.execute(db);
  return { created: Number(rows[0]!.created) };
}
