import { sql, type Kysely } from "kysely";

/**
 * Rows a platform writes that are not products (a Shopify image row, a Magento store view) were
 * stored as rejected rows and counted in error_count. They are skipped instead: counted here (and
 * in skipped_count once applied) and described, with the SKUs made from Shopify handles, in
 * row_notes (server/imports/row-notes.ts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE imports ADD COLUMN skipped_rows integer NOT NULL DEFAULT 0, ADD COLUMN row_notes jsonb`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE imports DROP COLUMN skipped_rows, DROP COLUMN row_notes`.execute(db);
}
