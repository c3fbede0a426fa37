// The in-memory SFTP server the feed tests use (tests/support/sftp-server.ts), checked against a real client.
import { randomBytes } from "node:crypto";
import SftpClient from "ssh2-sftp-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startSftpServer, type SftpServer } from "../support/sftp-server.js";

let server: SftpServer;
const clients: SftpClient[] = [];

beforeAll(async () => {
  server = await startSftpServer();
});
afterAll(async () => {
  await server?.close();
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.end().catch(() => {})));
});

async function connect(auth: { password: string } | { privateKey: string }) {
  const client = new SftpClient();
  clients.push(client);
  await client.connect({ host: server.host, port: server.port, username: server.username, readyTimeout: 10_000, ...auth });
  return client;
}

describe("the test SFTP server", () => {
  it("listens on loopback and accepts the password", async () => {
    expect(server.host).toBe("127.0.0.1");
    expect(server.port).toBeGreaterThan(0);
    server.put("/feeds/hello.txt", "hello");
    const client = await connect({ password: server.password });
    expect(await client.cwd()).toBe("/");
    expect(await client.exists("/feeds/hello.txt")).toBe("-");
  });

  it("accepts the private key", async () => {
    expect(server.privateKey).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----/);
    server.put("/feeds/key.txt", "by key");
    const client = await connect({ privateKey: server.privateKey });
    expect((await client.get("/feeds/key.txt")).toString()).toBe("by key");
  });

  it("refuses a wrong password, another user and a key it does not know", async () => {
    const attempt = async (config: SftpClient.ConnectOptions) => {
      const client = new SftpClient();
      clients.push(client);
      await client.connect({ host: server.host, port: server.port, readyTimeout: 10_000, ...config });
    };
    await expect(attempt({ username: server.username, password: "not-the-password" })).rejects.toThrow(/authentication/i);
    await expect(attempt({ username: "someone-else", password: server.password })).rejects.toThrow(/authentication/i);
    const other = await startSftpServer();
    try {
      await expect(attempt({ username: server.username, privateKey: other.privateKey })).rejects.toThrow(/authentication/i);
    } finally {
      await other.close();
    }
  });

  it("reports the size and modification time it was given", async () => {
    const mtime = new Date("2024-03-01T12:34:56Z");
    server.put("/feeds/catalog.csv", "sku,name\nA,1\n", mtime);
    const client = await connect({ password: server.password });
    const stats = await client.stat("/feeds/catalog.csv");
    expect(stats).toMatchObject({ size: 13, modifyTime: mtime.getTime(), isFile: true, isDirectory: false });
    expect(stats.mode & 0o777).toBe(0o644);
    expect((await client.stat("/feeds")).isDirectory).toBe(true);
  });

  it("serves a 5 MB file byte for byte with get()", async () => {
    const content = randomBytes(5 * 1024 * 1024);
    server.put("/feeds/big.bin", content);
    const client = await connect({ password: server.password });
    const got = (await client.get("/feeds/big.bin")) as Buffer;
    expect(got.length).toBe(content.length);
    expect(got.equals(content)).toBe(true);
  });

  it("streams a file with createReadStream()", async () => {
    const content = randomBytes(300 * 1024 + 17);
    server.put("/feeds/stream.bin", content);
    const client = await connect({ privateKey: server.privateKey });
    const chunks: Buffer[] = [];
    for await (const chunk of client.createReadStream("/feeds/stream.bin")) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(content)).toBe(true);
  });

  it("answers a missing file with an error", async () => {
    const client = await connect({ password: server.password });
    await expect(client.get("/feeds/nope.csv")).rejects.toThrow(/no such file/i);
    await expect(client.stat("/feeds/nope.csv")).rejects.toThrow(/no such file/i);
    expect(await client.exists("/feeds/nope.csv")).toBe(false);
  });

  it("is read-only", async () => {
    const client = await connect({ password: server.password });
    await expect(client.put(Buffer.from("x"), "/feeds/upload.csv")).rejects.toThrow(/permission denied/i);
  });

  it("lists a directory", async () => {
    server.put("/listing/a.csv", "a");
    server.put("/listing/sub/b.csv", "bb");
    const client = await connect({ password: server.password });
    const entries = await client.list("/listing");
    expect(entries.map((entry) => [entry.name, entry.type]).sort()).toEqual([
      ["a.csv", "-"],
      ["sub", "d"],
    ]);
  });

  it("counts opens, not stats, and put() replaces, remove() deletes", async () => {
    server.put("/feeds/counted.csv", "v1");
    const client = await connect({ password: server.password });
    expect(server.opens("/feeds/counted.csv")).toBe(0);
    await client.stat("/feeds/counted.csv");
    expect(server.opens("/feeds/counted.csv")).toBe(0);
    expect((await client.get("/feeds/counted.csv")).toString()).toBe("v1");
    expect(server.opens("/feeds/counted.csv")).toBe(1);
    server.put("/feeds/counted.csv", "version 2");
    for await (const _chunk of client.createReadStream("/feeds/counted.csv"));
    expect(server.opens("feeds//counted.csv")).toBe(2);
    expect((await client.get("/feeds/counted.csv")).toString()).toBe("version 2");
    expect(server.opens("/feeds/counted.csv")).toBe(3);
    server.remove("/feeds/counted.csv");
    await expect(client.get("/feeds/counted.csv")).rejects.toThrow(/no such file/i);
    expect(server.opens("/feeds/counted.csv")).toBe(3);
  });
});

describe("close()", () => {
  it("disconnects the clients still connected and stops listening", async () => {
    const own = await startSftpServer();
    own.put("/x.txt", "x");
    const client = new SftpClient();
    await client.connect({ host: own.host, port: own.port, username: own.username, password: own.password });
    const ended = new Promise<void>((resolve) => client.on("close", () => resolve()));
    await own.close();
    await ended;
    const late = new SftpClient();
    await expect(late.connect({ host: own.host, port: own.port, username: own.username, password: own.password })).rejects.toThrow(/ECONNREFUSED/);
  });
});
