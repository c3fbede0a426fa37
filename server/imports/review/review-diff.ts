import { sql, type Kysely } from "kysely";
import type { Database, ImportMode } from "../../../db/schema.js";
import { descriptionAfter, latestRows, notInFile, type MergePlan } from "../../products/catalog-merge.js";
import { stagingTable } from "../staging/staging-table.js";

import { CHANGE_KINDS, type ChangeKind } from "../import.schema.js";

const ORDINAL: Record<ChangeKind, number> = { update: 1, create: 2, remove: 3 };
export const kindOf = (ordinal: number) => CHANGE_KINDS[ordinal - 1]!;

/** Which of the file's rows each mode writes: new SKUs, existing ones, or both. */
const WRITES: Record<ImportMode, readonly ("create" | "update")[]> = {
  upsert: ["create", "update"],
  sync: ["create", "update"],
  "create-only": ["create"],
  "update-only": ["update"],
};

/** What comparing the file with the catalog found, before the mode decides what counts as what. */
export interface DiffCounts {
  /** SKUs among the accepted rows. */
  distinct: number;
  /** Of those, SKUs the catalog lacks. */
  fresh: number;
  /** SKUs the catalog has whose values the file would change. */
  changing: number;
  /** SKUs the catalog has with the file's values already. */
  same: number;
  changed: { sku: number; name: number; description: number; active: number };
  descriptionsEmptied: number;
  deactivated: number;
  activated: number;
  freshInactive: number;
  /** Products a sync would deactivate or delete. */
  removing: number;
}

export type DiffPlan = Pick<MergePlan, "staged" | "kept" | "fileHasActive" | "mode" | "syncAction" | "emptyDescription"> & { importId: string };

const diffTable = (importId: string) => stagingTable(importId, "diff");

/**
 * Compares the staged rows with the catalog in set-based SQL, with the merge's own rules (its last
 * row per SKU, its empty-cell rules), and writes the changes the import would make to the import's
 * diff table for paging. Call in a transaction holding the import's row lock.
 */
export async function computeDiff(db: Kysely<Database>, plan: DiffPlan): Promise<DiffCounts> {
  const diff = diffTable(plan.importId);
  await sql`DROP TABLE IF EXISTS ${diff}`.execute(db);
  await sql`
    CREATE UNLOGGED TABLE ${diff} (
      ordinal smallint NOT NULL,
      position bigint NOT NULL,
      product_id bigint,
      sku text NOT NULL,
      name text,
      description text,
      active boolean,
      sku_changed boolean NOT NULL DEFAULT false,
      name_changed boolean NOT NULL DEFAULT false,
      description_changed boolean NOT NULL DEFAULT false,
      active_changed boolean NOT NULL DEFAULT false
    )`.execute(db);
  const writes = WRITES[plan.mode];
  const latest = latestRows({ staged: plan.staged, progress: sql`` }, false);
  const { rows } = await sql<Record<string, string>>`
    WITH compared AS (
      SELECT sku_key(l.sku) AS key, p.id AS product_id, l.sku, l.name,
             ${descriptionAfter(plan.emptyDescription, sql`l.description`, sql`coalesce(p.description, '')`)} AS description,
             CASE WHEN p.id IS NULL THEN coalesce(l.active, true) ELSE coalesce(l.active, p.active) END AS active,
             p.sku AS old_sku, p.name AS old_name, p.description AS old_description, p.active AS old_active
      FROM (${latest}) AS l LEFT JOIN products AS p ON sku_key(p.sku) = sku_key(l.sku)
    ),
    classified AS (
      SELECT *, CASE
          WHEN product_id IS NULL THEN 'create'
          WHEN (sku, name, description, active) IS DISTINCT FROM (old_sku, old_name, old_description, old_active) THEN 'update'
          ELSE 'same' END AS kind
      FROM compared
    ),
    stored AS (
      INSERT INTO ${diff} (ordinal, position, product_id, sku, name, description, active, sku_changed, name_changed, description_changed, active_changed)
      SELECT CASE kind WHEN 'update' THEN ${ORDINAL.update}::smallint ELSE ${ORDINAL.create}::smallint END,
             row_number() OVER (ORDER BY key), product_id, sku, name, description, active,
             kind = 'update' AND sku <> old_sku, kind = 'update' AND name <> old_name,
             kind = 'update' AND description <> old_description, kind = 'update' AND active <> old_active
      FROM classified WHERE kind = ANY(${writes as string[]}::text[])
    )
    SELECT count(*) AS distinct,
           count(*) FILTER (WHERE kind = 'create') AS fresh,
           count(*) FILTER (WHERE kind = 'update') AS changing,
           count(*) FILTER (WHERE kind = 'same') AS same,
           count(*) FILTER (WHERE kind = 'update' AND sku <> old_sku) AS sku_changed,
           count(*) FILTER (WHERE kind = 'update' AND name <> old_name) AS name_changed,
           count(*) FILTER (WHERE kind = 'update' AND description <> old_description) AS description_changed,
           count(*) FILTER (WHERE kind = 'update' AND active <> old_active) AS active_changed,
           count(*) FILTER (WHERE kind = 'update' AND description = '' AND old_description <> '') AS descriptions_emptied,
           count(*) FILTER (WHERE kind = 'update' AND old_active AND NOT active) AS deactivated,
           count(*) FILTER (WHERE kind = 'update' AND NOT old_active AND active) AS activated,
           count(*) FILTER (WHERE kind = 'create' AND NOT active) AS fresh_inactive
    FROM classified`.execute(db);
  const removing = plan.mode === "sync" ? await storeRemovals(db, plan) : 0;
  await sql`CREATE INDEX ON ${diff} (ordinal, position)`.execute(db);
  const n = (name: string) => Number(rows[0]![name]);
  return {
    distinct: n("distinct"),
    fresh: n("fresh"),
    changing: n("changing"),
    same: n("same"),
    changed: { sku: n("sku_changed"), name: n("name_changed"), description: n("description_changed"), active: n("active_changed") },
    descriptionsEmptied: n("descriptions_emptied"),
    deactivated: n("deactivated"),
    activated: n("activated"),
    freshInactive: n("fresh_inactive"),
    removing,
  };
}

/** A sync's removals: the catalog's products the file does not name (its rejected rows' included). */
async function storeRemovals(db: Kysely<Database>, plan: DiffPlan): Promise<number> {
  const deactivates = plan.syncAction === "deactivate";
  const result = await sql`
    INSERT INTO ${diffTable(plan.importId)} (ordinal, position, product_id, sku, name, description, active, active_changed)
    SELECT ${ORDINAL.remove}::smallint, row_number() OVER (ORDER BY sku_key(p.sku)), p.id, p.sku,
           ${deactivates ? sql`p.name, p.description, false, true` : sql`NULL, NULL, NULL, false`}
    FROM products AS p WHERE ${notInFile(plan)}`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

export interface StoredChange {
  kind: ChangeKind;
  productId: string | null;
  after: { sku: string; name: string; description: string; active: boolean } | null;
  changedFields: ("sku" | "name" | "description" | "active")[];
}

/** One page of the stored changes (of one kind, or all of them in review order); undefined once they are gone. */
export async function readChanges(
  db: Kysely<Database>,
  importId: string,
  options: { kind?: ChangeKind; page: number; pageSize: number },
): Promise<{ rows: (StoredChange & { position: number })[]; total: number }> {
  const diff = diffTable(importId);
  const where = options.kind ? sql`WHERE ordinal = ${ORDINAL[options.kind]}` : sql``;
  const [page, total] = await Promise.all([
    sql<{
      ordinal: number;
      position: string;
      product_id: string | null;
      sku: string;
      name: string | null;
      description: string | null;
      active: boolean | null;
      sku_changed: boolean;
      name_changed: boolean;
      description_changed: boolean;
      active_changed: boolean;
    }>`SELECT * FROM ${diff} ${where} ORDER BY ordinal, position LIMIT ${options.pageSize} OFFSET ${(options.page - 1) * options.pageSize}`.execute(
      db,
    ),
    sql<{ total: string }>`SELECT count(*) AS total FROM ${diff} ${where}`.execute(db),
  ]);
  return {
    total: Number(total.rows[0]!.total),
    rows: page.rows.map((row) => ({
      kind: kindOf(row.ordinal),
      position: Number(row.position),
      productId: row.product_id,
      after: row.name === null ? null : { sku: row.sku, name: row.name, description: row.description ?? "", active: row.active ?? true },
      changedFields: (["sku", "name", "description", "active"] as const).filter((field) => row[`${field}_changed`]),
    })),
  };
}
