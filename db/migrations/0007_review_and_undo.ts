import { sql, type Kysely } from "kysely";

/**
 * Looking before applying, choosing how, and undoing: an import can wait in `review`, applies in a
 * mode, accounts for every row of its file, and can be reverted (`reverted`) from the before-images
 * its merge kept. Products say what last changed them (an import, an edit, a bulk change, an undo)
 * and which import's values they hold, so an undo can tell what changed after the import. A sequence counts catalog changes, so a review can
 * say whether the catalog moved since.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE imports DROP CONSTRAINT imports_status_check`.execute(db);
  await sql`
    ALTER TABLE imports ADD CONSTRAINT imports_status_check
      CHECK (status IN ('uploading','review','queued','processing','completed','failed','cancelled','reverted'))`.execute(db);
  await sql`
    ALTER TABLE imports
      ADD COLUMN mode text NOT NULL DEFAULT 'upsert' CHECK (mode IN ('upsert','create-only','update-only','sync')),
      ADD COLUMN sync_action text NOT NULL DEFAULT 'deactivate' CHECK (sync_action IN ('deactivate','delete')),
      ADD COLUMN empty_description text NOT NULL DEFAULT 'clear' CHECK (empty_description IN ('clear','keep')),
      ADD COLUMN confirm_large_sync boolean NOT NULL DEFAULT false,
      ADD COLUMN review_requested boolean NOT NULL DEFAULT false,
      ADD COLUMN review_summary jsonb,
      ADD COLUMN review_catalog_version bigint,
      ADD COLUMN reviewed_at timestamptz,
      ADD COLUMN catalog_changed_after_review boolean NOT NULL DEFAULT false,
      ADD COLUMN unchanged_count integer NOT NULL DEFAULT 0,
      ADD COLUMN skipped_count integer NOT NULL DEFAULT 0,
      ADD COLUMN removed_count integer NOT NULL DEFAULT 0,
      ADD COLUMN repeated_count integer NOT NULL DEFAULT 0,
      ADD COLUMN revertible boolean NOT NULL DEFAULT false,
      ADD COLUMN revert_summary jsonb,
      ADD COLUMN reverted_at timestamptz`.execute(db);
  await sql`
    ALTER TABLE products
      ADD COLUMN created_import_id bigint,
      ADD COLUMN last_change_kind text NOT NULL DEFAULT 'edit' CHECK (last_change_kind IN ('import','edit','bulk','revert')),
      ADD COLUMN last_change_import_id bigint,
      ADD COLUMN values_import_id bigint`.execute(db);
  await sql`ALTER TABLE events DROP CONSTRAINT events_type_check`.execute(db);
  await sql`
    ALTER TABLE events ADD CONSTRAINT events_type_check CHECK (type IN (
      'product.created', 'product.updated', 'product.deleted', 'products.deleted_all',
      'import.completed', 'import.failed', 'import.reverted'))`.execute(db);
  // Advanced once per statement that writes the catalog: no row to lock, so no writer waits on it.
  await sql`CREATE SEQUENCE catalog_version`.execute(db);
  await sql`
    CREATE FUNCTION note_catalog_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM nextval('catalog_version');
      RETURN NULL;
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER products_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON products
      FOR EACH STATEMENT EXECUTE FUNCTION note_catalog_change()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TRIGGER products_changed ON products`.execute(db);
  await sql`DROP FUNCTION note_catalog_change()`.execute(db);
  await sql`DROP SEQUENCE catalog_version`.execute(db);
  await sql`ALTER TABLE products DROP COLUMN created_import_id, DROP COLUMN last_change_kind, DROP COLUMN last_change_import_id, DROP COLUMN values_import_id`.execute(
    db,
  );
  await sql`
    ALTER TABLE imports DROP COLUMN mode, DROP COLUMN sync_action, DROP COLUMN empty_description, DROP COLUMN confirm_large_sync,
      DROP COLUMN review_requested, DROP COLUMN review_summary, DROP COLUMN review_catalog_version, DROP COLUMN reviewed_at,
      DROP COLUMN catalog_changed_after_review, DROP COLUMN unchanged_count, DROP COLUMN skipped_count, DROP COLUMN removed_count,
      DROP COLUMN repeated_count, DROP COLUMN revertible, DROP COLUMN revert_summary, DROP COLUMN reverted_at`.execute(db);
}
