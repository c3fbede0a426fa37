import type { Kysely } from "kysely";
import type pg from "pg";
import { kyselyOn } from "./connect.js";
import { isLostConnection } from "./postgres-errors.js";
import type { Database } from "./schema.js";

export interface Connection {
  client: pg.PoolClient;
  /** Typed queries on this very connection. */
  db: Kysely<Database>;
  /** Throw the connection away when it goes back: its state is in doubt (a COPY cut short, a lock not released). */
  discard(): void;
}

/**
 * A pooled connection for `work`, released when it settles. A connection whose work threw is
 * discarded rather than reused: a statement or COPY may still be running on it.
 */
export async function withConnection<T>(pool: pg.Pool, work: (connection: Connection) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    return await work({ client, db: kyselyOn(client), discard: () => (broken = true) });
  } catch (error) {
    broken = true;
    throw error;
  } finally {
    client.release(broken);
  }
}

export interface Transaction extends Connection {
  /** End with ROLLBACK instead of COMMIT, without an error: nothing of the work is kept. */
  rollbackAtEnd(): void;
}

/**
 * `work` inside BEGIN … COMMIT on a connection of its own, for statements Kysely's own
 * transactions cannot carry (COPY, cancelling the backend, session settings). A throw rolls back
 * and rethrows; a connection that could not roll back, or that lost its server, is discarded.
 */
export async function withTransaction<T>(pool: pg.Pool, work: (tx: Transaction) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  let rollback = false;
  try {
    await client.query("BEGIN");
    const result = await work({
      client,
      db: kyselyOn(client),
      discard: () => (broken = true),
      rollbackAtEnd: () => (rollback = true),
    });
    await client.query(rollback ? "ROLLBACK" : "COMMIT");
    return result;
  } catch (error) {
    if (isLostConnection(error)) broken = true;
    await client.query("ROLLBACK").catch(() => (broken = true));
    throw error;
  } finally {
    client.release(broken);
  }
}
