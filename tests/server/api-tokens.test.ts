import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { appRouter } from "../../server/web/app-router.js";
import { createProductImporterClient } from "../../server/web/client.js";
import { startTestApp, type TestApp } from "../support/test-app.js";

const PASSWORD = "correct horse battery staple";

let app: TestApp;
let admin: ReturnType<typeof createProductImporterClient>;
beforeAll(async () => {
  app = await startTestApp({ APP_PASSWORD: PASSWORD });
  admin = createProductImporterClient(app.url, { token: PASSWORD });
});
afterAll(() => app?.stop());

const clientWith = (token: string) => createProductImporterClient(app.url, { token });
const failure = async (call: Promise<unknown>) => {
  try {
    await call;
  } catch (error) {
    const { data, message } = error as { data?: { code?: string; httpStatus?: number }; message: string };
    return { code: data?.code, status: data?.httpStatus, message };
  }
  throw new Error("the call succeeded");
};
const upload = (token: string) =>
  fetch(`${app.url}/api/imports?filename=t.csv`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "text/csv" },
    body: "sku,name\ntok-1,Token\n",
  });

describe("API tokens", () => {
  it("are created with the secret shown once and kept only as a hash, listed with their last use", async () => {
    const created = await admin.apiTokens.create.mutate({ name: "ERP sync", scope: "write" });
    expect(created).toMatchObject({ name: "ERP sync", scope: "write" });
    expect(created.token).toMatch(/^pit_[A-Za-z0-9_-]{43}$/);
    const { rows } = await sql<{ token_hash: string }>`SELECT token_hash FROM api_tokens WHERE id = ${created.id}`.execute(app.database.db);
    expect(rows[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0]!.token_hash).not.toContain(created.token.slice(4));

    const [listed] = (await admin.apiTokens.list.query({})).filter((token) => token.id === created.id);
    expect(listed).toEqual({ id: created.id, name: "ERP sync", scope: "write", createdAt: created.createdAt, lastUsedAt: null });
    expect(JSON.stringify(await admin.apiTokens.list.query({}))).not.toContain(created.token);

    await clientWith(created.token).products.list.query({});
    const [used] = (await admin.apiTokens.list.query({})).filter((token) => token.id === created.id);
    expect(used!.lastUsedAt).not.toBeNull();
  });

  it("a write token changes things and uploads; a read token reads, exports and streams, and gets 403 for anything else", async () => {
    const writer = (await admin.apiTokens.create.mutate({ name: "writer", scope: "write" })).token;
    const reader = (await admin.apiTokens.create.mutate({ name: "reader", scope: "read" })).token;
    const product = await clientWith(writer).products.create.mutate({ sku: "tok-w", name: "Written" });
    expect((await upload(writer)).status).toBe(202);

    expect((await clientWith(reader).products.get.query({ id: product.id })).sku).toBe("tok-w");
    expect(await failure(clientWith(reader).products.update.mutate({ id: product.id, name: "No" }))).toMatchObject({
      code: "FORBIDDEN",
      status: 403,
      message: expect.stringMatching(/may only read/),
    });
    const refusedUpload = await upload(reader);
    expect(refusedUpload.status).toBe(403);
    expect((await refusedUpload.json()).error).toMatch(/may only read/);
    const exported = await fetch(`${app.url}/api/products/export`, { headers: { Authorization: `Bearer ${reader}` } });
    expect(exported.status).toBe(200);
    expect(await exported.text()).toContain("tok-w");
    // A query POSTed (the method override) is still a query.
    const posted = await fetch(`${app.url}/api/trpc/products.list`, {
      method: "POST",
      headers: { Authorization: `Bearer ${reader}`, "Content-Type": "application/json" },
      body: JSON.stringify({ sku: "tok-w" }),
    });
    expect(posted.status).toBe(200);
    expect((await clientWith(reader).products.get.query({ id: product.id })).name).toBe("Written");
  });

  it("a read token is refused on every mutation the API has, before its input is even read", async () => {
    const reader = (await admin.apiTokens.create.mutate({ name: "every mutation", scope: "read" })).token;
    type Node = { _def?: { type?: string } } & Record<string, unknown>;
    const pathsOf = (record: Record<string, unknown>, prefix = ""): [string, Node][] =>
      Object.entries(record).flatMap(([key, value]) => {
        const node = value as Node;
        return node._def?.type ? [[`${prefix}${key}`, node] as [string, Node]] : pathsOf(node, `${prefix}${key}.`);
      });
    const mutations = pathsOf(appRouter._def.procedures as unknown as Record<string, unknown>)
      .filter(([, procedure]) => procedure._def?.type === "mutation")
      .map(([path]) => path);
    expect(mutations.length).toBeGreaterThan(15);
    for (const path of mutations) {
      const response = await fetch(`${app.url}/api/trpc/${path}`, {
        method: "POST",
        headers: { Authorization: `Bearer ${reader}`, "Content-Type": "application/json" },
        body: "{}",
      });
      expect(response.status, path).toBe(403);
    }
  });

  it("cannot manage tokens, whatever their scope", async () => {
    const writer = (await admin.apiTokens.create.mutate({ name: "no admin", scope: "write" })).token;
    const calls = [
      () => clientWith(writer).apiTokens.create.mutate({ name: "x", scope: "write" }),
      () => clientWith(writer).apiTokens.list.query({}),
    ];
    for (const call of calls) {
      expect(await failure(call())).toMatchObject({ code: "FORBIDDEN", message: expect.stringMatching(/cannot manage API tokens/) });
    }
  });

  it("once revoked are refused at once, with 401, on every process", async () => {
    const token = await admin.apiTokens.create.mutate({ name: "short-lived", scope: "write" });
    await clientWith(token.token).products.list.query({});
    const other = await startTestApp({ APP_PASSWORD: PASSWORD, DATABASE_URL: app.database.connectionString });
    try {
      await createProductImporterClient(other.url, { token: token.token }).products.list.query({});
      expect(await admin.apiTokens.revoke.mutate({ id: token.id })).toEqual({ id: token.id });
      for (const url of [app.url, other.url]) {
        expect(await failure(createProductImporterClient(url, { token: token.token }).products.list.query({}))).toMatchObject({
          code: "UNAUTHORIZED",
          status: 401,
          message: "This API token is not valid, or it was revoked.",
        });
      }
      expect((await upload(token.token)).status).toBe(401);
      expect((await admin.apiTokens.list.query({})).map((listed) => listed.id)).not.toContain(token.id);
    } finally {
      await other.stop();
    }
  });

  it("refuse bad input: an empty or long name, an unknown scope, revoking twice or a token that never was", async () => {
    expect(await failure(admin.apiTokens.create.mutate({ name: "  ", scope: "read" }))).toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/Name is required/),
    });
    expect(await failure(admin.apiTokens.create.mutate({ name: "x".repeat(101), scope: "read" }))).toMatchObject({ code: "BAD_REQUEST" });
    expect(await failure(admin.apiTokens.create.mutate({ name: "ok", scope: "admin" as "read" }))).toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/Scope must be read or write/),
    });
    const token = await admin.apiTokens.create.mutate({ name: "twice", scope: "read" });
    await admin.apiTokens.revoke.mutate({ id: token.id });
    expect(await failure(admin.apiTokens.revoke.mutate({ id: token.id }))).toMatchObject({ code: "NOT_FOUND" });
    expect(await failure(clientWith("pit_made-up").products.list.query({}))).toMatchObject({ code: "UNAUTHORIZED" });
  });
});
