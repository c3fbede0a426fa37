import { sql, type Kysely } from "kysely";

/**
 * Fixing rejected rows where they are shown (issue "Fix rejected rows"): each rejected row keeps
 * the field at fault, the cells a person changed (its file's cells stay as read), whether it now
 * passes the importer's rules, whether it was left out, and a revision that tells a save it
 * overwrote someone else's. An import of fixed rows names the import they came from and the lines
 * it took (a multirange: one row written however many lines, not one update per line).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE import_errors
      ADD COLUMN field text,
      ADD COLUMN edited text[],
      ADD COLUMN fixed boolean NOT NULL DEFAULT false,
      ADD COLUMN dropped boolean NOT NULL DEFAULT false,
      ADD COLUMN revision integer NOT NULL DEFAULT 0`.execute(db);
  // Room on each page for a row's next version: a fix or a replace then updates it in place (HOT),
  // without a new entry in its primary key per row (docs/benchmarks/fixing-issue35-2026-12-07).
  await sql`ALTER TABLE import_errors SET (fillfactor = 50)`.execute(db);
  await sql`
    ALTER TABLE imports
      ADD COLUMN fixes_import_id bigint REFERENCES imports (id) ON DELETE SET NULL,
      ADD COLUMN fixed_count integer NOT NULL DEFAULT 0,
      ADD COLUMN brought_in_lines int4multirange`.execute(db);
  await sql`CREATE INDEX imports_by_fixed_import ON imports (fixes_import_id) WHERE fixes_import_id IS NOT NULL`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE import_errors RESET (fillfactor)`.execute(db);
  await sql`ALTER TABLE imports DROP COLUMN fixes_import_id, DROP COLUMN fixed_count, DROP COLUMN brought_in_lines`.execute(db);
  await sql`
    ALTER TABLE import_errors
      DROP COLUMN field, DROP COLUMN edited, DROP COLUMN fixed, DROP COLUMN dropped, DROP COLUMN revision`.execute(db);
}
