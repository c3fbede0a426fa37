import { sql, type QueryExecutorProvider } from "kysely";
import type pg from "pg";

/**
 * Every advisory lock the app takes, by name: one number per lock, declared here only. A session
 * lock outlives transactions on its connection (CREATE INDEX CONCURRENTLY cannot run in one); a
 * transaction lock ends with the transaction that took it.
 */
export const ADVISORY_LOCKS = {
  /** Migrations, taken by every process starting at once. */
  migrations: 7_302_001,
  /** Held for a whole merge: imports, catalog-wide deletes and bulk changes never interleave. */
  catalogWrite: 7_302_100,
  /** Dropping or rebuilding the search indexes; whoever also needs catalogWrite takes this first. */
  searchIndexes: 7_302_200,
  /** pg-boss's own setup, which deadlocks when processes run it together. */
  jobQueueSetup: 7_302_300,
  /** Pruning webhook history past its retention: one process at a time, the others skip. */
  webhookRetention: 7_302_400,
  /** Resending an endpoint's failed deliveries: recoveries take turns, so none queues what another just did. */
  webhookRecovery: 7_302_500,
} as const;

export type AdvisoryLock = keyof typeof ADVISORY_LOCKS;

/** Takes the lock for the caller's transaction unless someone holds it; never waits. */
export async function tryTransactionLock(tx: QueryExecutorProvider, lock: AdvisoryLock): Promise<boolean> {
  const { rows } = await sql<{ got: boolean }>`SELECT pg_try_advisory_xact_lock(${ADVISORY_LOCKS[lock]}) AS got`.execute(tx);
  return rows[0]!.got;
}

/** Waits for the lock, for the caller's transaction. */
export async function transactionLock(tx: QueryExecutorProvider, lock: AdvisoryLock): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${ADVISORY_LOCKS[lock]})`.execute(tx);
}

type Session = Pick<pg.ClientBase, "query">;

/** Takes the lock for the connection's session unless someone holds it; never waits. */
export async function trySessionLock(client: Session, lock: AdvisoryLock): Promise<boolean> {
  const { rows } = await client.query<{ got: boolean }>("SELECT pg_try_advisory_lock($1) AS got", [ADVISORY_LOCKS[lock]]);
  return rows[0]!.got;
}

/** Waits for the lock, for the connection's session. */
export async function sessionLock(client: Session, lock: AdvisoryLock): Promise<void> {
  await client.query("SELECT pg_advisory_lock($1)", [ADVISORY_LOCKS[lock]]);
}

export async function releaseSessionLock(client: Session, lock: AdvisoryLock): Promise<void> {
  await client.query("SELECT pg_advisory_unlock($1)", [ADVISORY_LOCKS[lock]]);
}
