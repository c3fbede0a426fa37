import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort, letPostgresUserReach, loadEmbeddedPostgres, postgresBinaryDir } from "../../db/embedded.js";

const USER = "postgres";

/**
 * A Postgres cluster of its own that a test can stop and start again on the SAME port (the app's
 * DATABASE_URL keeps working), unlike db/embedded.ts's `startEmbeddedPostgres`, which picks a new
 * free port on every start. `stop()` is a clean fast shutdown (SIGINT to the postmaster:
 * connections are terminated, open transactions roll back, then a shutdown checkpoint), so
 * unlogged tables (the import staging tables) survive it.
 */
export interface RestartablePostgres {
  port: number;
  adminUrl: string;
  urlFor(database: string): string;
  /** Everything Postgres wrote to its log, for failure messages. */
  log(): string;
  isRunning(): boolean;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Stops it (if running) and deletes its data directory. */
  destroy(): Promise<void>;
}

export async function startRestartablePostgres(): Promise<RestartablePostgres> {
  const root = mkdtempSync(path.join(os.tmpdir(), "product-importer-restartable-pg-"));
  const dataDir = path.join(root, "data");
  await letPostgresUserReach([dataDir, path.join(await postgresBinaryDir(), "initdb")]);
  const EmbeddedPostgres = await loadEmbeddedPostgres();

  const port = await freePort();
  // Never the well-known postgres / postgres: any local process could log in while a test runs.
  const password = randomBytes(24).toString("base64url");
  let output = "";
  const cluster = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: true,
    postgresFlags: ["listen_addresses=127.0.0.1", "shared_buffers=128MB", "max_wal_size=4GB", "max_connections=100"].flatMap((setting) => [
      "-c",
      setting,
    ]),
    onLog: (message) => (output += message),
    onError: (error) => (output += `${String(error)}\n`),
  });
  await cluster.initialise();
  let running = false;
  const urlFor = (database: string) => `postgres://${USER}:${password}@127.0.0.1:${port}/${database}`;
  const handle: RestartablePostgres = {
    port,
    adminUrl: urlFor("postgres"),
    urlFor,
    log: () => output,
    isRunning: () => running,
    async start() {
      await cluster.start();
      running = true;
    },
    async stop() {
      await cluster.stop();
      running = false;
    },
    async destroy() {
      if (running) await handle.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
  await handle.start();
  return handle;
}
