import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, afterEach, expect, it } from "vitest";
import {
  freePort,
  letPostgresUserReach,
  loadEmbeddedPostgres,
  passwordFileOf,
  startEmbeddedPostgres,
  type EmbeddedCluster,
} from "../../db/embedded.js";
import { startAppProcess, type AppProcess } from "../support/app-process.js";

/**
 * The embedded Postgres (no DATABASE_URL) holds the catalog, API tokens and the session secret:
 * a local process that knows the well-known postgres / postgres must not get in.
 */

const roots: string[] = [];
const clusters: EmbeddedCluster[] = [];
const apps: AppProcess[] = [];

afterEach(async () => {
  for (const app of apps.splice(0)) await app.stop("SIGKILL");
  for (const cluster of clusters.splice(0)) await cluster.stop();
});
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

function freshDir() {
  const root = mkdtempSync(path.join(os.tmpdir(), "product-importer-embedded-"));
  roots.push(root);
  return path.join(root, "postgres");
}

async function start(dataDir: string) {
  const cluster = await startEmbeddedPostgres({ dataDir });
  clusters.push(cluster);
  return cluster;
}

/** Logs in with a connection string; the error's SQLSTATE if refused. */
async function logIn(url: string): Promise<"in" | string> {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.query("SELECT 1");
    return "in";
  } catch (error) {
    return (error as { code?: string }).code ?? (error as Error).message;
  } finally {
    await client.end().catch(() => {});
  }
}

const wellKnown = (port: string | number) => `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
const portOf = (url: string) => new URL(url).port;
const passwordOf = (url: string) => decodeURIComponent(new URL(url).password);
const modeOf = (file: string) => (statSync(file).mode & 0o777).toString(8);

async function hbaMethods(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ type: string; address: string | null; method: string }>(
      "SELECT type, address, auth_method AS method FROM pg_hba_file_rules ORDER BY line_number",
    );
    return rows;
  } finally {
    await client.end();
  }
}

it("a new cluster refuses postgres / postgres, takes the password it generated and keeps it beside its data, readable by the app alone", async () => {
  const dataDir = freshDir();
  const cluster = await start(dataDir);

  expect(await logIn(wellKnown(portOf(cluster.adminUrl))), "28P01 is invalid_password").toBe("28P01");
  expect(await logIn(cluster.adminUrl)).toBe("in");
  expect(await logIn(cluster.urlFor("postgres").replace(/:[^:@/]+@/, ":wrong@"))).toBe("28P01");

  const file = passwordFileOf(dataDir);
  expect(modeOf(file)).toBe("600");
  expect(statSync(file).uid).toBe(process.getuid!());
  expect(readFileSync(file, "utf8").trim()).toBe(passwordOf(cluster.adminUrl));
  expect(passwordOf(cluster.adminUrl).length).toBeGreaterThanOrEqual(32);
  // Every way in asks for the password, by SCRAM: on the socket and on 127.0.0.1 and ::1.
  const rules = await hbaMethods(cluster.adminUrl);
  expect(rules.map((rule) => rule.address)).toEqual(expect.arrayContaining(["127.0.0.1", "::1"]));
  expect(new Set(rules.map((rule) => rule.method))).toEqual(new Set(["scram-sha-256"]));

  // A second start while the server still runs (its process was killed) adopts it, same password.
  const adopted = await startEmbeddedPostgres({ dataDir });
  expect(adopted.adminUrl).toBe(cluster.adminUrl);
  expect(await logIn(adopted.adminUrl)).toBe("in");
});

it("a cluster made by an earlier version with postgres / postgres gets a password of its own at its next start, its data kept", async () => {
  const dataDir = freshDir();
  await (await clusterAsEarlierVersionsMadeIt(dataDir)).stop();
  expect(existsSync(passwordFileOf(dataDir))).toBe(false);

  const upgraded = await start(dataDir);
  expect(await logIn(wellKnown(portOf(upgraded.adminUrl)))).toBe("28P01");
  const client = new pg.Client({ connectionString: upgraded.adminUrl });
  await client.connect();
  expect((await client.query("SELECT name FROM kept ORDER BY name")).rows).toEqual([{ name: "made before the upgrade" }]);
  await client.end();
  expect(modeOf(passwordFileOf(dataDir))).toBe("600");
  expect(new Set((await hbaMethods(upgraded.adminUrl)).map((rule) => rule.method))).toEqual(new Set(["scram-sha-256"]));

  // The next start finds the same password, and still refuses the old one.
  await upgraded.stop();
  const again = await start(dataDir);
  expect(passwordOf(again.adminUrl)).toBe(passwordOf(upgraded.adminUrl));
  expect(await logIn(again.adminUrl)).toBe("in");
  expect(await logIn(wellKnown(portOf(again.adminUrl)))).toBe("28P01");
});

it("a cluster made by an earlier version, left running by a killed process, is adopted and given a password of its own", async () => {
  const dataDir = freshDir();
  const running = await clusterAsEarlierVersionsMadeIt(dataDir);
  try {
    const adopted = await startEmbeddedPostgres({ dataDir });
    expect(await logIn(adopted.adminUrl)).toBe("in");
    expect(await logIn(wellKnown(portOf(adopted.adminUrl)))).toBe("28P01");
    expect(new Set((await hbaMethods(adopted.adminUrl)).map((rule) => rule.method))).toEqual(new Set(["scram-sha-256"]));
    expect(modeOf(passwordFileOf(dataDir))).toBe("600");
  } finally {
    await running.stop();
  }
  const restarted = await start(dataDir);
  const client = new pg.Client({ connectionString: restarted.adminUrl });
  await client.connect();
  expect((await client.query("SELECT name FROM kept")).rows).toEqual([{ name: "made before the upgrade" }]);
  await client.end();
});

it("the app on its own embedded Postgres (DATA_DIR, no DATABASE_URL) works, and that Postgres refuses postgres / postgres", async () => {
  const dataDir = path.dirname(freshDir());
  const app = await startAppProcess({ DATA_DIR: dataDir, DATABASE_URL: "" });
  apps.push(app);
  const answer = await fetch(`${app.url}/api/trpc/products.list?input=${encodeURIComponent("{}")}`);
  expect(answer.status).toBe(200);

  const clusterDir = path.join(dataDir, "postgres");
  const port = readFileSync(path.join(clusterDir, "postmaster.pid"), "utf8").split("\n")[3];
  expect(await logIn(wellKnown(port!))).toBe("28P01");
  expect(modeOf(passwordFileOf(clusterDir))).toBe("600");
  expect(await app.stop("SIGTERM")).toBe(0);
  apps.splice(0);
  expect(existsSync(path.join(clusterDir, "postmaster.pid")), "the app stopped its Postgres").toBe(false);
});

/** A cluster as db/embedded.ts made one before passwords were generated (postgres / postgres, sent in clear), with a row in it; running. */
async function clusterAsEarlierVersionsMadeIt(dataDir: string) {
  await letPostgresUserReach([dataDir]);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const port = await freePort();
  const cluster = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: "postgres",
    password: "postgres",
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1"],
    onLog: () => {},
    onError: () => {},
  });
  await cluster.initialise();
  await cluster.start();
  const client = new pg.Client({ connectionString: wellKnown(port) });
  await client.connect();
  await client.query("CREATE TABLE kept (name text); INSERT INTO kept VALUES ('made before the upgrade')");
  await client.end();
  return cluster;
}
