import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawRequest } from "../support/raw-http.js";
import { startTestApp, type TestApp } from "../support/test-app.js";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({}, { pages: true });
});
afterAll(async () => {
  await app?.stop();
});

const refused = async (procedure: string, input: unknown, method: "GET" | "POST" = "POST") => {
  const { status, body } = await app.trpcRaw(procedure, input, method);
  return { status, code: body.error?.data?.code as string | undefined, message: (body.error?.message ?? "") as string };
};

describe("text that cannot be stored as given", () => {
  it("is refused with BAD_REQUEST wherever it comes in: a lone surrogate, a NUL", async () => {
    const product = await app.api.products.create.mutate({ sku: "odd-1", name: "Fine" });
    for (const [procedure, input, field] of [
      ["products.create", { sku: "odd-2", name: "Half \ud800 a pair" }, "Name"],
      ["products.create", { sku: "odd-\udfff", name: "Fine" }, "SKU"],
      ["products.create", { sku: "odd-3", name: "Fine", description: "lone \udc00" }, "Description"],
      ["products.update", { id: product.id, name: "\ud83d" }, "Name"],
      ["webhooks.create", { url: "http://127.0.0.1/hooks/\ud800", events: ["product.created"] }, "URL"],
      ["webhooks.create", { url: "http://127.0.0.1/a\u0000b", events: ["product.created"] }, "URL"],
      ["webhooks.create", { url: "http://127.0.0.1/hooks?q=\u0000", events: ["product.created"] }, "URL"],
      ["webhooks.create", { url: "http://127.0.0.1/hooks#\u0000", events: ["product.created"] }, "URL"],
    ] as const) {
      const answer = await refused(procedure, input);
      expect(answer, `${procedure} ${JSON.stringify(input)}`).toMatchObject({ status: 400, code: "BAD_REQUEST" });
      expect(answer.message).toMatch(new RegExp(`${field} must not contain a (lone surrogate|NUL character)`));
      expect(answer.message, "no database message leaks out").not.toMatch(/byte sequence|UTF8|syntax/i);
    }
    expect(await refused("products.list", { name: "x\ud800" }, "GET")).toMatchObject({ status: 400, code: "BAD_REQUEST" });
    expect((await app.products()).map((row) => row.name)).toEqual(["Fine"]);
    expect(await app.api.webhooks.list.query({})).toEqual([]);
  });
});

describe("JSON nested thousands of levels deep", () => {
  it("is a 400, in a body or in a query's input", async () => {
    const deep = `${"[".repeat(5_000)}${"]".repeat(5_000)}`;
    const posted = await fetch(`${app.url}/api/trpc/products.create`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: `{"sku":"deep","name":${deep}}`,
    });
    expect(posted.status).toBe(400);
    expect(((await posted.json()) as { error: { message: string } }).error.message).toContain("name");
    // 2,000 levels: as deep as a query string under Node's 16 KB header limit carries.
    const deepQuery = `${"[".repeat(2_000)}${"]".repeat(2_000)}`;
    const queried = await fetch(`${app.url}/api/trpc/products.list?input=${encodeURIComponent(`{"name":${deepQuery}}`)}`);
    expect(queried.status).toBe(400);
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  });
});

describe("page addresses with values out of range", () => {
  it.each([
    ["/products?page=1e9", 400, "page must be at most 1,000,000"],
    ["/products?page=1000001", 400, "page must be at most 1,000,000"],
    ["/products?sku=%00", 400, "must not contain a NUL character"],
    [`/products?sku=${"s".repeat(256)}`, 400, "sku"],
    [`/products?name=${"n".repeat(1001)}`, 400, "name"],
    ["/imports?page=1e9", 400, "page must be at most 1,000,000"],
    ["/imports/0", 404, "There is no import 0."],
    ["/imports/99999999999999999999", 404, "There is no import 99999999999999999999."],
    ["/webhooks/0", 404, "There is no webhook 0."],
  ])("%s answers %i with the reason", async (path, status, message) => {
    const response = await rawRequest(app.url, path);
    expect(response.status).toBe(status);
    expect(response.body).toContain(message);
  });
});

describe("parameters given as arrays or objects", () => {
  it("are refused by the export, not ignored", async () => {
    await app.api.products.create.mutate({ sku: "array-1", name: "Array" });
    for (const query of ["sku[]=a", "name[x]=1", "active[]=true"]) {
      const response = await rawRequest(app.url, `/api/products/export?${query}`);
      expect(response.status, query).toBe(400);
      expect(JSON.parse(response.body).error).toContain("give each filter once, as text");
    }
  });

  it("are refused as an upload's file name, not stored as [object Object]", async () => {
    const response = await rawRequest(app.url, "/api/imports?filename[x]=1", {
      method: "POST",
      headers: { "Content-Type": "text/csv" },
      body: "sku,name\na,b\n",
    });
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body).error).toContain("filename must be given once");
    const { items } = await app.api.imports.list.query({});
    expect(items.map((item: { filename: string }) => item.filename)).not.toContain("[object Object]");
  });
});
