import { sql, type Kysely, type RawBuilder } from "kysely";
import type { Database, EmptyCellRule, EmptyDescriptionRule, ImportMode, SyncAction } from "../../db/schema.js";
import { BEFORE_IMAGE, KEPT_PRODUCT_COLUMNS } from "./before-image.js";
import { COMMERCE_FIELD_SPECS, emptyOf, type CommerceField } from "./commerce-fields.schema.js";

/**
 * How the merge keeps what it overwrites. Postgres 18 hands the old row back from the write itself
 * (RETURNING old.*); older servers copy the rows first, locked, in the same transaction.
 */
export type BeforeCapture = "returning-old" | "copy-first";

/** What an import applies, and how (CONTRACT.md's `mode`, `syncAction`, `emptyDescription`). */
export interface MergePlan {
  importId: string;
  /** The staging table holding the import's accepted rows. */
  staged: RawBuilder<unknown>;
  /** A sequence the statement advances once per row it feeds in, so others can watch it move. */
  progress: RawBuilder<unknown>;
  /** The SKUs of the file's rejected rows: a sync keeps those products. */
  kept: RawBuilder<unknown>;
  /** Where the products the merge changes or removes are written as they were, for an undo. */
  before: RawBuilder<unknown>;
  capture: BeforeCapture;
  /** Without an `active` column the file leaves existing products' flag alone. */
  fileHasActive: boolean;
  /** Some rows' active cell was empty (a platform's "not said"): those products keep their flag. */
  activeGaps: boolean;
  mode: ImportMode;
  syncAction: SyncAction;
  emptyDescription: EmptyDescriptionRule;
  /** The commerce fields the file writes; the others stay as they are on existing products. */
  commerce: readonly CommerceField[];
  /** An empty cell of a commerce column clears the field, or keeps the stored value. */
  emptyCells: EmptyCellRule;
  /** The keys of the custom fields the file writes (empty: the file leaves every product's attributes alone). */
  attributes: readonly string[];
  /** Keys the file wrote whose fields were deleted since: left out of what is written. */
  staleAttributes: readonly string[];
}

/** The staged (and products) attributes column after the commerce ones, when the file writes custom fields. */
const attributesColumn = (plan: Pick<MergePlan, "attributes">, alias?: string) =>
  sql.raw(plan.attributes.length ? `, ${alias ? `${alias}.` : ""}attributes` : "");

/**
 * The attributes after the write: the file's values merged into the stored ones by key; a key the
 * file maps but a row left empty is cleared (or kept, with `emptyCells=keep`). A new product's are the file's.
 */
export function attributesAfter(
  plan: Pick<MergePlan, "attributes" | "staleAttributes" | "emptyCells">,
  given: RawBuilder<unknown>,
  stored: RawBuilder<unknown> | null,
) {
  const written = plan.staleAttributes.length
    ? sql`(coalesce(${given}, '{}') - ${sql.lit(`{${plan.staleAttributes.join(",")}}`)}::text[])`
    : sql`coalesce(${given}, '{}')`;
  if (!stored) return written;
  const kept = plan.emptyCells === "keep" ? stored : sql`(${stored} - ${sql.lit(`{${plan.attributes.join(",")}}`)}::text[])`;
  return sql`(${kept} || ${written})`;
}

/** The staged (and products) columns of the commerce fields the file writes, after the core ones: `, price, stock`. */
const commerceColumns = (plan: Pick<MergePlan, "commerce">, alias?: string) =>
  sql.raw(plan.commerce.map((field) => `, ${alias ? `${alias}.` : ""}${COMMERCE_FIELD_SPECS[field].column}`).join(""));

/**
 * A commerce field's value after the write: the file's (an empty cell, null, clears it; a list is
 * then empty), or with `emptyCells=keep` the stored one where the cell was empty.
 */
export function commerceAfter(
  plan: Pick<MergePlan, "emptyCells">,
  field: CommerceField,
  given: RawBuilder<unknown>,
  stored: RawBuilder<unknown> | null,
) {
  const empty = emptyOf(field);
  const fallbacks = [...(plan.emptyCells === "keep" && stored ? [stored] : []), ...(empty ? [sql.raw(empty)] : [])];
  return fallbacks.length ? sql`coalesce(${given}, ${sql.join(fallbacks)})` : given;
}

/** `, price = coalesce(excluded.price, p.price), …`: the SET of the commerce fields (and custom fields) the file writes. */
function commerceSets(plan: MergePlan, from: string) {
  return sql.join(
    [
      ...plan.commerce.map((field) => {
        const column = COMMERCE_FIELD_SPECS[field].column;
        return sql`, ${sql.raw(column)} = ${commerceAfter(plan, field, sql.raw(`${from}.${column}`), sql.raw(`p.${column}`))}`;
      }),
      ...(plan.attributes.length ? [sql`, attributes = ${attributesAfter(plan, sql.raw(`${from}.attributes`), sql`p.attributes`)}`] : []),
    ],
    sql``,
  );
}

export interface MergeCounts {
  created: number;
  /** Existing products whose values changed. */
  changed: number;
  /** SKUs of the file the catalog already had (changed or not). */
  existing: number;
  /** Products a sync deactivated or deleted. */
  removed: number;
}

/**
 * The file's last row per SKU (case-insensitively), in key order so the SKU index is filled
 * sequentially. `nextval` in the WHERE ticks as each row reaches the write.
 */
export function latestRows(plan: Pick<MergePlan, "staged" | "progress" | "commerce" | "attributes">, counted = true) {
  const commerce = sql`${commerceColumns(plan)}${attributesColumn(plan)}`;
  return sql`
    SELECT sku, name, description, active${commerce}
    FROM (
      SELECT DISTINCT ON (sku_key(sku)) sku, name, description, active${commerce}
      FROM ${plan.staged}
      ORDER BY sku_key(sku), line DESC
    ) AS latest
    ${counted ? sql`WHERE nextval(${plan.progress}) > 0` : sql``}`;
}

/** The rows to write: an empty active cell means the product's current flag, found only when needed. */
function rowsToWrite(plan: MergePlan) {
  // Lists are never null, so an upsert's proposed row cannot say "keep them": an empty cell takes the stored list here.
  const keepsLists = plan.emptyCells === "keep" && plan.commerce.some((field) => emptyOf(field) !== null);
  if (!plan.activeGaps && !keepsLists) {
    return sql`SELECT sku, name, description, coalesce(active, true) AS active${commerceColumns(plan)}${attributesColumn(plan)} FROM (${latestRows(plan)}) AS rows`;
  }
  const commerce = plan.commerce.map((field) => {
    const column = sql.raw(COMMERCE_FIELD_SPECS[field].column);
    return keepsLists && emptyOf(field) !== null ? sql`, coalesce(rows.${column}, stored.${column}) AS ${column}` : sql`, rows.${column}`;
  });
  return sql`
    SELECT rows.sku, rows.name, rows.description, coalesce(rows.active, stored.active, true) AS active${sql.join(commerce, sql``)}${attributesColumn(plan, "rows")}
    FROM (${latestRows(plan)}) AS rows LEFT JOIN products AS stored ON sku_key(stored.sku) = sku_key(rows.sku)`;
}

/** The description a row leaves: an empty cell keeps the stored one when the import says so. */
export function descriptionAfter(rule: EmptyDescriptionRule, given: RawBuilder<unknown>, stored: RawBuilder<unknown>) {
  return rule === "keep" ? sql`CASE WHEN ${given} = '' THEN ${stored} ELSE ${given} END` : given;
}

/** Whether `row` would change `stored`: the SKU's spelling, the name, the description, the flag when the file has one, the commerce fields it writes. */
function changes(plan: MergePlan, stored: string, row: string) {
  const [p, r] = [sql.raw(stored), sql.raw(row)];
  const active = plan.fileHasActive;
  const commerce = plan.commerce.map((field) => COMMERCE_FIELD_SPECS[field].column);
  const storedCommerce = sql.join(
    commerce.map((column) => sql`, ${sql.raw(`${stored}.${column}`)}`),
    sql``,
  );
  const givenCommerce = sql.join(
    plan.commerce.map((field, at) => sql`, ${commerceAfter(plan, field, sql.raw(`${row}.${commerce[at]}`), sql.raw(`${stored}.${commerce[at]}`))}`),
    sql``,
  );
  const attributes = plan.attributes.length;
  const storedAttributes = attributes ? sql`, ${p}.attributes` : sql``;
  const givenAttributes = attributes ? sql`, ${attributesAfter(plan, sql`${r}.attributes`, sql`${p}.attributes`)}` : sql``;
  return sql`(${p}.sku, ${p}.name, ${p}.description${active ? sql`, ${p}.active` : sql``}${storedCommerce}${storedAttributes})
    IS DISTINCT FROM (${r}.sku, ${r}.name, ${descriptionAfter(plan.emptyDescription, sql`${r}.description`, sql`${p}.description`)}${active ? sql`, ${r}.active` : sql``}${givenCommerce}${givenAttributes})`;
}

/** The product's columns a before-image keeps, read from `alias`. */
const columnsOf = (alias: string) => sql.raw(KEPT_PRODUCT_COLUMNS.map((column) => `${alias}.${column}`).join(", "));
const beforeColumns = sql.raw(BEFORE_IMAGE.columnList);

/** A CTE writing what the write's RETURNING old.* gave into the before-images, as `kind`. */
function keepReturned(plan: MergePlan, from: string, kind: BeforeKind, where = sql`true`) {
  if (plan.capture !== "returning-old") return sql``;
  return sql`, kept_before AS (
    INSERT INTO ${plan.before} (${beforeColumns})
    SELECT ${kind}, ${columnsOf(from)} FROM ${sql.id(from)} WHERE ${where})`;
}

/** What RETURNING gives back: the old row when the before-images come from it. */
const returnedRow = (plan: MergePlan, alias: string) => (plan.capture === "returning-old" ? columnsOf("old") : sql.raw(`${alias}.id`));

/** Older servers: the products about to be written, copied first and locked until the merge commits. */
async function copyFirst(db: Kysely<Database>, plan: MergePlan, kind: BeforeKind, products: RawBuilder<unknown>) {
  if (plan.capture !== "copy-first") return;
  await sql`INSERT INTO ${plan.before} (${beforeColumns}) SELECT ${kind}, ${columnsOf("p")} FROM ${products} FOR UPDATE OF p`.execute(db);
}

export type BeforeKind = "updated" | "deactivated" | "deleted";

const importId = (plan: MergePlan) => sql`${plan.importId}::bigint`;
const writtenColumns = (plan: MergePlan) =>
  sql`sku, name, description, active, created_import_id, values_import_id, last_change_kind, last_change_import_id${commerceColumns(plan)}${attributesColumn(plan)}`;
/** A new product's values, from `rows`: a commerce cell left empty is null (no tags: `{}`). */
const written = (plan: MergePlan) =>
  sql`sku, name, description, active, ${importId(plan)}, ${importId(plan)}, 'import', ${importId(plan)}${sql.join(
    plan.commerce.map((field) => sql`, ${commerceAfter(plan, field, sql.raw(COMMERCE_FIELD_SPECS[field].column), null)}`),
    sql``,
  )}${plan.attributes.length ? sql`, ${attributesAfter(plan, sql`attributes`, null)}` : sql``}`;
/** What marks a product as written by this import. */
const stamp = (plan: MergePlan) =>
  sql`updated_at = now(), values_import_id = ${importId(plan)}, last_change_kind = 'import', last_change_import_id = ${importId(plan)}`;

/** Into an empty catalog: a plain INSERT, measured ~10% under INSERT … ON CONFLICT of the same rows. */
async function insertAll(db: Kysely<Database>, plan: MergePlan): Promise<number> {
  const result = await sql`
    INSERT INTO products (${writtenColumns(plan)}) SELECT ${written(plan)} FROM (${rowsToWrite(plan)}) AS rows`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** The catalog's products the file would change (an empty active cell keeps the flag), for copying first. */
const productsChangedByFile = (plan: MergePlan) => sql`
  products AS p JOIN (${latestRows(plan, false)}) AS latest ON sku_key(p.sku) = sku_key(latest.sku)
  CROSS JOIN LATERAL (SELECT latest.sku, latest.name, latest.description, coalesce(latest.active, p.active, true) AS active${commerceColumns(plan, "latest")}${attributesColumn(plan, "latest")}) AS rows
  WHERE ${changes(plan, "p", "rows")}`;

/**
 * One upsert of the file's last row per SKU. Rows identical to the stored product are not
 * rewritten, so re-importing an export changes nothing; the rows it rewrites are kept as they were.
 */
async function upsert(db: Kysely<Database>, plan: MergePlan): Promise<{ created: number; changed: number }> {
  await copyFirst(db, plan, "updated", productsChangedByFile(plan));
  const active = plan.fileHasActive;
  const { rows } = await sql<{ created: string; changed: string }>`
    WITH written AS (
      INSERT INTO products AS p (${writtenColumns(plan)}) SELECT ${written(plan)} FROM (${rowsToWrite(plan)}) AS rows
      ON CONFLICT (sku_key(sku)) DO UPDATE
        SET sku = excluded.sku, name = excluded.name,
            description = ${descriptionAfter(plan.emptyDescription, sql`excluded.description`, sql`p.description`)}${active ? sql`, active = excluded.active` : sql``}${commerceSets(plan, "excluded")},
            ${stamp(plan)}
        WHERE ${changes(plan, "p", "excluded")}
      RETURNING ${plan.capture === "returning-old" ? sql`old.id IS NULL AS created, ${columnsOf("old")}` : sql`xmax = 0 AS created`}
    )${keepReturned(plan, "written", "updated", sql`NOT created`)}
    SELECT count(*) FILTER (WHERE created) AS created, count(*) FILTER (WHERE NOT created) AS changed FROM written`.execute(db);
  return { created: Number(rows[0]!.created), changed: Number(rows[0]!.changed) };
}

/** New SKUs only: the catalog's products are left as they are (counted as skipped). */
async function createOnly(db: Kysely<Database>, plan: MergePlan): Promise<number> {
  const result = await sql`
    INSERT INTO products (${writtenColumns(plan)}) SELECT ${written(plan)} FROM (${rowsToWrite(plan)}) AS rows
    ON CONFLICT (sku_key(sku)) DO NOTHING`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** The catalog's products only: new SKUs are left out (counted as skipped). */
async function updateOnly(db: Kysely<Database>, plan: MergePlan): Promise<{ changed: number; existing: number }> {
  await copyFirst(db, plan, "updated", productsChangedByFile(plan));
  const active = plan.fileHasActive;
  const { rows } = await sql<{ changed: string }>`
    WITH written AS (
      UPDATE products AS p
        SET sku = rows.sku, name = rows.name,
            description = ${descriptionAfter(plan.emptyDescription, sql`rows.description`, sql`p.description`)}${active ? sql`, active = rows.active` : sql``}${commerceSets(plan, "rows")},
            ${stamp(plan)}
        FROM (${rowsToWrite(plan)}) AS rows
        WHERE sku_key(p.sku) = sku_key(rows.sku) AND ${changes(plan, "p", "rows")}
      RETURNING ${returnedRow(plan, "p")}
    )${keepReturned(plan, "written", "updated")}
    SELECT count(*) AS changed FROM written`.execute(db);
  const existing = await sql<{ existing: string }>`
    SELECT count(*) AS existing FROM (${latestRows(plan, false)}) AS rows
    WHERE EXISTS (SELECT 1 FROM products AS p WHERE sku_key(p.sku) = sku_key(rows.sku))`.execute(db);
  return { changed: Number(rows[0]!.changed), existing: Number(existing.rows[0]!.existing) };
}

/** Products a sync would take away: none of the file's SKUs, its rejected rows' included. */
export function notInFile(plan: Pick<MergePlan, "staged" | "kept" | "syncAction">, alias = "p") {
  const product = sql.raw(alias);
  return sql`${plan.syncAction === "deactivate" ? sql`${product}.active AND ` : sql``}
    NOT EXISTS (SELECT 1 FROM ${plan.staged} AS s WHERE sku_key(s.sku) = sku_key(${product}.sku))
    AND NOT EXISTS (SELECT 1 FROM ${plan.kept} AS k WHERE sku_key(k.sku) = sku_key(${product}.sku))`;
}

export async function countNotInFile(db: Kysely<Database>, plan: Pick<MergePlan, "staged" | "kept" | "syncAction">): Promise<number> {
  const { rows } = await sql<{ count: string }>`SELECT count(*) AS count FROM products AS p WHERE ${notInFile(plan)}`.execute(db);
  return Number(rows[0]!.count);
}

/** A sync's second half: what the file does not name is deactivated or deleted, and kept as it was. */
async function removeNotInFile(db: Kysely<Database>, plan: MergePlan): Promise<number> {
  const kind = plan.syncAction === "delete" ? "deleted" : "deactivated";
  await copyFirst(db, plan, kind, sql`products AS p WHERE ${notInFile(plan)}`);
  const statement =
    plan.syncAction === "delete"
      ? sql`WITH gone AS (DELETE FROM products AS p WHERE ${notInFile(plan)} RETURNING ${plan.capture === "returning-old" ? columnsOf("p") : sql`p.id`})
            ${keepReturned(plan, "gone", kind)}
            SELECT count(*) AS removed FROM gone`
      : sql`WITH gone AS (
              UPDATE products AS p SET active = false, ${stamp(plan)} WHERE ${notInFile(plan)} RETURNING ${returnedRow(plan, "p")}
            )${keepReturned(plan, "gone", kind)}
            SELECT count(*) AS removed FROM gone`;
  const { rows } = await statement.execute(db);
  return Number((rows[0] as { removed: string }).removed);
}

/** Applies the staged rows as the plan says, in the caller's transaction; returns what it did. */
export async function mergeIntoCatalog(db: Kysely<Database>, plan: MergePlan, catalogWasEmpty: boolean): Promise<MergeCounts> {
  if (catalogWasEmpty) {
    const created = plan.mode === "update-only" ? 0 : await insertAll(db, plan);
    return { created, changed: 0, existing: 0, removed: 0 };
  }
  switch (plan.mode) {
    case "create-only": {
      const created = await createOnly(db, plan);
      return { created, changed: 0, existing: 0, removed: 0 };
    }
    case "update-only": {
      const { changed, existing } = await updateOnly(db, plan);
      return { created: 0, changed, existing, removed: 0 };
    }
    case "upsert":
    case "sync": {
      const { created, changed } = await upsert(db, plan);
      const removed = plan.mode === "sync" ? await removeNotInFile(db, plan) : 0;
      return { created, changed, existing: -1, removed };
    }
  }
}
