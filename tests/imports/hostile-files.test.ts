import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { XLSX_CONTENT_TYPE } from "../../server/files/file-format.js";
import { createProductImporterClient } from "../../server/web/client.js";
import { startAppProcess, type AppProcess } from "../support/app-process.js";
import { inlineRow, rawWorkbook, repeated } from "../support/raw-workbook.js";
import { createTestDatabase } from "../support/test-database.js";
import { sleep, waitUntil } from "../support/wait.js";

/**
 * Workbooks of a few kilobytes built to take all memory (issue 29): each once killed the server
 * process. Here the server runs as its own process, so a crash shows as one, not as the test
 * runner dying.
 */
let server: AppProcess;
const PASSWORD = "hostile-workbooks-password";
const asAdmin = { Authorization: `Bearer ${PASSWORD}` };
const adminApi = () => createProductImporterClient(server.url, { headers: asAdmin });
beforeAll(async () => {
  server = await startAppProcess({ DATABASE_URL: await createTestDatabase(), APP_PASSWORD: PASSWORD });
});
afterAll(async () => {
  await server?.stop();
});

async function upload(workbook: Buffer) {
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(workbook)], { type: XLSX_CONTENT_TYPE }), "hostile.xlsx");
  const response = await fetch(`${server.url}/api/imports`, { method: "POST", body: form, headers: asAdmin });
  return { status: response.status, body: (await response.json()) as { id?: string; error?: string } };
}

async function inspect(workbook: Buffer, headers: Record<string, string> = {}) {
  const input = encodeURIComponent(JSON.stringify({ sample: workbook.toString("base64"), filename: "hostile.xlsx", wholeFile: true }));
  const response = await fetch(`${server.url}/api/trpc/imports.inspect?input=${input}`, { headers });
  return { status: response.status, body: (await response.json()) as { error?: { message: string } } };
}

async function expectStillServing() {
  expect(server.alive()).toBe(true);
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  expect((await adminApi().imports.list.query({})).items.every((item) => item.status !== "uploading")).toBe(true);
}

const HEADER = inlineRow(1, { A1: "sku", B1: "name" });

describe("a hostile workbook is refused with 400 naming the problem, and the server lives on", () => {
  it("a header cell at column ZZZZZ (12 million columns wide), by upload and by imports.inspect from a read token", async () => {
    const workbook = await rawWorkbook([inlineRow(1, { A1: "sku", B1: "name", ZZZZZ1: "far" }), inlineRow(2, { A2: "s-1", B2: "One" })].join(""));
    expect(workbook.length).toBeLessThan(4096);
    const uploaded = await upload(workbook);
    expect(uploaded).toMatchObject({
      status: 400,
      body: { error: expect.stringMatching(/cell ZZZZZ1 lies beyond column XFD, the last of the 16,384 columns/) },
    });
    expect(uploaded.body.error).toMatch(/^Line 1: /);

    const { token } = await adminApi().apiTokens.create.mutate({ name: "reader", scope: "read" });
    const inspected = await inspect(workbook, { Authorization: `Bearer ${token}` });
    expect(inspected.status).toBe(400);
    expect(inspected.body.error?.message).toMatch(/beyond column XFD/);
    await expectStillServing();
  });

  it("a shared-strings table of a few megabytes that inflates to gigabytes", async () => {
    // 2,100 texts of 128 K characters each: 275 M characters, more than 256 MB of shared text.
    const text = "x".repeat(128 * 1024 - 1);
    const workbook = await rawWorkbook(HEADER + inlineRow(2, { A2: "s-1", B2: "One" }), repeated(`<si><t>${text}</t></si>`, 2_100));
    expect(workbook.length).toBeLessThan(2 * 1024 * 1024);
    const uploaded = await upload(workbook);
    expect(uploaded).toMatchObject({ status: 400, body: { error: expect.stringMatching(/shared text is larger than 256 MB/) } });
    await expectStillServing();
  }, 120_000);

  it("one cell of 400 MB in a file of a few hundred kilobytes", async () => {
    const cell = (function* () {
      yield `${HEADER}<row r="2"><c r="A2" t="inlineStr"><is><t>`;
      yield* repeated("a", 400 * 1024 * 1024);
      yield "</t></is></c></row>";
    })();
    const workbook = await rawWorkbook(cell);
    expect(workbook.length).toBeLessThan(1024 * 1024);
    const uploaded = await upload(workbook);
    expect(uploaded.status).toBe(400);
    expect(uploaded.body.error).toMatch(/longer than [\d,]+ characters/);
    await expectStillServing();
  }, 120_000);

  it.each([
    ["abc", /numbered "abc"; rows are numbered 1 to 1,048,576/],
    ["3000000000", /numbered "3000000000"; rows are numbered 1 to 1,048,576/],
    ["0", /numbered "0"/],
  ])("a row numbered %s", async (number, message) => {
    const uploaded = await upload(await rawWorkbook(HEADER + inlineRow(number, { A2: "s-1", B2: "One" })));
    expect(uploaded).toMatchObject({ status: 400, body: { error: expect.stringMatching(message) } });
    await expectStillServing();
  });

  it("a row wider than the header is read up to the header's width, a cell of Excel's last column still reads", async () => {
    const workbook = await rawWorkbook(inlineRow(1, { A1: "sku", B1: "name", XFD1: "last" }) + inlineRow(2, { A2: "w-1", B2: "Wide", XFD2: "kept" }));
    const uploaded = await upload(workbook);
    expect(uploaded.status).toBe(202);
    const api = adminApi();
    await waitUntil(
      "the wide workbook's import to complete",
      async () => {
        const item = await api.imports.get.query({ id: uploaded.body.id! });
        if (item.status === "completed") return true;
        expect(["queued", "processing"]).toContain(item.status);
        return false;
      },
      30_000,
    );
    expect((await api.products.list.query({ sku: "w-1" })).items[0]).toMatchObject({ name: "Wide" });
  });
});

/** The longest /healthz took to answer while `work` ran, polled every 20 ms. */
async function slowestHealthCheck(work: Promise<unknown>): Promise<number> {
  let done = false;
  let slowest = 0;
  const finished = work.finally(() => (done = true));
  while (!done) {
    const started = performance.now();
    await fetch(`${server.url}/healthz`);
    slowest = Math.max(slowest, performance.now() - started);
    // The sampling interval of a measurement over time, not a wait for something to happen.
    await sleep(20);
  }
  await finished;
  return slowest;
}

describe("a header wider than a spreadsheet can be", () => {
  it("is refused with 400 naming its width, and the server keeps answering while it is read", async () => {
    // 700,000 columns, 5.4 MB: matching them took the request thread seconds (10^6 took 16 s of CPU).
    const header = Array.from({ length: 700_000 }, (_, i) => `c${i}`).join(",");
    let answer: { status: number; body: { error?: string } } | undefined;
    const work = fetch(`${server.url}/api/imports?filename=wide.csv`, {
      method: "POST",
      headers: { ...asAdmin, "Content-Type": "text/csv" },
      body: `${header},sku,name\n${"x,".repeat(700_000)}s-1,One\n`,
    }).then(async (response) => (answer = { status: response.status, body: await response.json() }));
    expect(await slowestHealthCheck(work)).toBeLessThan(2_000);
    expect(answer).toMatchObject({
      status: 400,
      body: { error: expect.stringMatching(/header has 700,002 columns; a file may have at most 16,384/) },
    });
    await expectStillServing();
  });

  it("a 1 MB batch of imports.inspect calls from a read token is answered with 400s without holding up the server", async () => {
    const { token } = await adminApi().apiTokens.create.mutate({ name: "batch reader", scope: "read" });
    // Each sample is 64 KB: a header of 21,000 columns and nothing else.
    const sample = Buffer.from(`${Array.from({ length: 21_000 }, (_, i) => `${i % 10}`).join(",")}\n`.padEnd(64 * 1024, "x")).subarray(0, 64 * 1024);
    const calls = 11;
    const input = Object.fromEntries(Array.from({ length: calls }, (_, i) => [i, { sample: sample.toString("base64"), filename: "wide.csv" }]));
    let answers: { error?: { message: string } }[] = [];
    const work = fetch(`${server.url}/api/trpc/${Array(calls).fill("imports.inspect").join(",")}?batch=1`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify(input),
    }).then(async (response) => (answers = await response.json()));
    expect(await slowestHealthCheck(work)).toBeLessThan(1_500);
    expect(answers).toHaveLength(calls);
    for (const answer of answers) expect(answer.error?.message).toMatch(/header has 21,000 columns/);
  });
});
