import { sql, type Kysely } from "kysely";

/**
 * What running for real needs: a secret of the installation's own (session cookies are signed
 * with it and the password, so a cookie alone cannot be used to guess the password offline), and
 * a count of merges interrupted by lost connections, so an import cannot be retried forever.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE app_secrets (
      name text PRIMARY KEY,
      value text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`ALTER TABLE imports ADD COLUMN apply_attempts integer NOT NULL DEFAULT 0`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE imports DROP COLUMN apply_attempts`.execute(db);
  await sql`DROP TABLE app_secrets`.execute(db);
}
