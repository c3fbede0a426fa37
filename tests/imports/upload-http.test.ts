import { afterAll, beforeAll, describe, expect, it } from "vitest";
import http from "node:http";
import { startTestApp, type TestApp } from "../support/test-app.js";
import { sleep, waitUntil } from "../support/wait.js";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ MAX_UPLOAD_BYTES: String(64 * 1024) });
});
afterAll(() => app?.stop());

function rawRequest(path: string, options: { headers: Record<string, string>; chunks: Buffer[] }) {
  return new Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }>((resolve, reject) => {
    let answered = false;
    const request = http.request(`${app.url}${path}`, { method: "POST", headers: options.headers }, (response) => {
      answered = true;
      let body = "";
      response.on("data", (chunk) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode!, body, headers: response.headers }));
    });
    // A server that answers early closes the connection; our unsent rest then fails to write.
    request.on("error", (error) => setTimeout(() => answered || reject(error), 500));
    (async () => {
      for (const chunk of options.chunks) {
        if (request.destroyed) return;
        request.write(chunk);
        // One chunk at a time, as a network delivers them: the server answers while the body still arrives.
        await sleep(1);
      }
      request.end();
    })().catch(() => {});
  });
}

describe("POST /api/imports", () => {
  it("accepts a multipart upload (field file) and answers 202 with the import id once it is staged", async () => {
    const response = await app.uploadCsv("sku,name\nm-1,Multipart\n", "catalog.csv");
    expect(response.status).toBe(202);
    expect(response.body.id).toMatch(/^\d+$/);
    const done = await app.waitForImport(response.body.id);
    expect(done).toMatchObject({ filename: "catalog.csv", status: "completed", createdCount: 1 });
  });

  it("accepts a raw text/csv body named by ?filename=", async () => {
    const response = await fetch(`${app.url}/api/imports?filename=raw.csv`, {
      method: "POST",
      headers: { "Content-Type": "text/csv" },
      body: "sku,name\nr-1,Raw\n",
    });
    expect(response.status).toBe(202);
    const { id } = (await response.json()) as { id: string };
    expect(await app.waitForImport(id)).toMatchObject({ filename: "raw.csv", status: "completed", createdCount: 1 });
  });

  it("redirects a browser form post (no JavaScript) to the import's page", async () => {
    const form = new FormData();
    form.append("file", new Blob(["sku,name\nf-1,Form\n"]), "form.csv");
    const response = await fetch(`${app.url}/api/imports`, {
      method: "POST",
      body: form,
      headers: { Accept: "text/html" },
      redirect: "manual",
    });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toMatch(/^\/imports\/\d+$/);
  });

  it.each([
    ["an empty file", "", /empty/],
    ["a header without sku", "name,description\nThing,Text\n", /sku/],
    ["a binary file", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48]), /binary/],
  ])("refuses %s with 400 and a message", async (_label, body, message) => {
    const response = await app.uploadCsv(body);
    expect(response.status).toBe(400);
    expect(response.body.error).toMatch(message);
  });

  it("reads a UTF-16 file that starts with a byte order mark", async () => {
    const response = await app.uploadCsv(Buffer.from("\uFEFFsku,name\nwide-1,Wide ünïcode\n", "utf16le"));
    expect(response.status).toBe(202);
    expect(await app.waitForImport(response.body.id)).toMatchObject({ status: "completed", createdCount: 1 });
    expect((await app.api.products.list.query({ sku: "wide-1" })).items[0]!.name).toBe("Wide ünïcode");
  });

  it("refuses a multipart body without the file field", async () => {
    const form = new FormData();
    form.append("other", "value");
    const response = await fetch(`${app.url}/api/imports`, { method: "POST", body: form });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(/field "file"/);
  });

  it("checks the header before reading the rest of a large body", async () => {
    const chunks = [Buffer.from("title,price\n"), ...Array.from({ length: 200 }, () => Buffer.alloc(16 * 1024, "x,1\n"))];
    const response = await rawRequest("/api/imports", { headers: { "Content-Type": "text/csv", "Transfer-Encoding": "chunked" }, chunks });
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body).error).toMatch(/sku and name/);
  });

  it("answers 413 when the declared size is over the limit, before reading anything", async () => {
    const response = await rawRequest("/api/imports", {
      headers: { "Content-Type": "text/csv", "Content-Length": String(10 * 1024 * 1024) },
      chunks: [],
    });
    expect(response.status).toBe(413);
  });

  it("answers 413 when a streamed body grows over the limit, and applies none of it", async () => {
    const rows = Array.from({ length: 6000 }, (_, index) => `big-${index},Row ${index}\n`).join("");
    const before = await app.api.products.list.query({});
    const response = await rawRequest("/api/imports?filename=big.csv", {
      headers: { "Content-Type": "text/csv", "Transfer-Encoding": "chunked" },
      chunks: [Buffer.from("sku,name\n"), ...chunk(Buffer.from(rows), 8 * 1024)],
    });
    expect(response.status).toBe(413);
    const { error, id } = JSON.parse(response.body);
    expect(error).toMatch(/64 KB upload limit/);
    expect(await app.api.imports.get.query({ id })).toMatchObject({ status: "failed", retryable: false });
    expect((await app.api.products.list.query({})).total).toBe(before.total);
  });

  it("marks an upload that is cut off half-way as failed and applies none of it", async () => {
    const rows = Array.from({ length: 2000 }, (_, index) => `cut-${index},Row ${index}\n`).join("");
    const request = http.request(`${app.url}/api/imports?filename=cut.csv`, {
      method: "POST",
      headers: { "Content-Type": "text/csv", "Content-Length": String(60_000) },
    });
    request.on("error", () => {});
    request.write(`sku,name\n${rows}`);
    await waitUntil(
      "the server to have received part of cut.csv",
      async () => {
        const [latest] = (await app.api.imports.list.query({ page: 1, pageSize: 1 })).items;
        return latest?.filename === "cut.csv" && latest.status === "uploading" && latest.sizeBytes > 0;
      },
      5_000,
    );
    request.destroy();
    const { items } = await app.api.imports.list.query({ page: 1, pageSize: 1 });
    expect(items[0]!.filename).toBe("cut.csv");
    const settled = await app.waitForImport(items[0]!.id);
    expect(settled).toMatchObject({ status: "failed", error: expect.stringMatching(/interrupted/) });
    const { total } = await app.api.products.list.query({ sku: "cut-" });
    expect(total).toBe(0);
  });
});

function chunk(buffer: Buffer, size: number): Buffer[] {
  const parts: Buffer[] = [];
  for (let offset = 0; offset < buffer.length; offset += size) parts.push(buffer.subarray(offset, offset + size));
  return parts;
}

describe("uploads at once", () => {
  it("are capped per process so pages keep their connections; the next one is told to retry and loses nothing", async () => {
    const capped = await startTestApp({ MAX_CONCURRENT_UPLOADS: "2" });
    try {
      // Two uploads that have sent a header and a row, and are still sending.
      const open = [0, 1].map((i) => {
        const request = http.request(`${capped.url}/api/imports?filename=slow-${i}.csv`, { method: "POST", headers: { "Content-Type": "text/csv" } });
        const answer = new Promise<number>((resolve) => request.on("response", (response) => (response.resume(), resolve(response.statusCode!))));
        request.write(`sku,name\nslow-${i},Slow ${i}\n`);
        return { request, answer };
      });
      // A large upload's header is read in a parse worker, which may have to start first.
      await expect.poll(async () => (await capped.api.imports.list.query()).items.length, { timeout: 10_000 }).toBe(2);

      const third = await fetch(`${capped.url}/api/imports?filename=third.csv`, {
        method: "POST",
        headers: { "Content-Type": "text/csv" },
        body: "sku,name\nthird,Third\n",
      });
      expect(third.status).toBe(503);
      expect(third.headers.get("retry-after")).toBe("10");
      expect(((await third.json()) as { error: string }).error).toContain("already receiving 2 files");
      expect((await capped.api.imports.list.query()).items.length, "the refused file left no import behind").toBe(2);
      expect((await capped.trpcRaw("products.list", {})).status, "the API still answers").toBe(200);

      for (const { request } of open) request.end();
      expect(await Promise.all(open.map(({ answer }) => answer))).toEqual([202, 202]);
      const retried = await capped.uploadCsv("sku,name\nthird,Third\n", "third.csv");
      expect(retried.status).toBe(202);
    } finally {
      await capped.stop();
    }
  });
});
