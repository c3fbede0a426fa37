import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import type { Database } from "./schema.js";

// bigint ids and counts arrive as strings by default; counts fit comfortably in a JS number.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => value);

export interface DatabaseHandle {
  pool: pg.Pool;
  db: Kysely<Database>;
  connectionString: string;
  close(): Promise<void>;
}

export function connectDatabase(connectionString: string, options: { max?: number } = {}): DatabaseHandle {
  const pool = new pg.Pool({ connectionString, max: options.max ?? 12, application_name: "product-importer" });
  // A client losing its server (restart, failover) must not crash the process, idle or checked
  // out: the query using it fails instead, and the pool discards it when it is released.
  pool.on("error", () => {});
  pool.on("connect", (client) => client.on("error", () => {}));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    pool,
    db,
    connectionString,
    async close() {
      await db.destroy();
    },
  };
}

/**
 * A Kysely bound to one checked-out client: lets typed queries share a transaction with
 * statements Kysely cannot issue itself (COPY, session settings).
 */
export function kyselyOn(client: pg.PoolClient | pg.Client): Kysely<Database> {
  // Kysely releases its connection after every query; this one stays checked out with the caller.
  const borrowed = { query: client.query.bind(client), release() {} };
  const pool = { connect: async () => borrowed, end: async () => {} };
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool: pool as unknown as pg.Pool }) });
}
