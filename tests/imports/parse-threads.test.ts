import iconv from "iconv-lite";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readCsv } from "../../server/files/csv-records.js";
import { detectDialect } from "../../server/files/dialect.js";
import { emptyEncodedRows, type ColumnInputs, type EncodedRows } from "../../server/imports/rows/row-encoder.js";
import { rowsOnThisThread, type RowSource } from "../../server/imports/rows/row-source.js";
import { readingParseWorkers } from "../../server/imports/rows/parse-worker-pool.js";
import { rowsFromWorker } from "../../server/imports/rows/worker-row-source.js";
import { importCsv, startTestApp, type TestApp } from "../support/test-app.js";
import { sleep, waitUntil } from "../support/wait.js";

/** A seeded generator: the same files on every run, so a failure can be replayed. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]! };
}

const PIECES = [
  "cap",
  "Tee",
  "ÄBC",
  "äbc",
  "naïve",
  "日本",
  "😀",
  " ",
  ",",
  ";",
  '"',
  '""',
  "\n",
  "\r\n",
  "\r",
  "=SUM(A1)",
  "'-1",
  "\t",
  "x".repeat(300),
  "",
];
const ACTIVE = ["true", "false", "yes", "no", "1", "0", "maybe", "", "Active"];

/** A CSV with what real files have: quoted fields, embedded line breaks, doubled and stray quotes, blank lines, wrong widths. */
function randomCsv(seed: number, rows: number): string {
  const r = random(seed);
  const text = (max: number) => Array.from({ length: r.int(max) }, () => r.pick(PIECES)).join("");
  const quoted = (value: string) => `"${value.replaceAll('"', '""')}"`;
  const cell = (value: string) => {
    if (/[",\r\n]/.test(value)) return r.next() < 0.9 ? quoted(value) : value.replace(/[\r\n]/g, ""); // some stray quotes stay unquoted
    return r.next() < 0.2 ? quoted(value) : value;
  };
  const lines = [r.next() < 0.3 ? "\uFEFFsku,name,description,active" : "sku,name,description,active"];
  for (let index = 0; index < rows; index += 1) {
    const roll = r.next();
    if (roll < 0.02) lines.push("");
    else if (roll < 0.04) lines.push([cell(`SKU-${r.int(rows)}`), cell(text(3))].join(","));
    else lines.push([cell(r.next() < 0.5 ? `SKU-${r.int(rows)}` : text(2)), cell(text(4)), cell(text(6)), cell(r.pick(ACTIVE))].join(","));
  }
  const eol = r.pick(["\n", "\r\n"]);
  let csv = lines.join(eol) + (r.next() < 0.5 ? eol : "");
  // Now and then a file ends inside a quoted field: it must fail alike, naming the same line.
  if (r.next() < 0.1) csv += `${eol}SKU-END,"never closed`;
  return csv;
}

/** The bytes in pieces of random sizes, as a network delivers them. */
function inChunks(bytes: Buffer, seed: number): Readable {
  const r = random(seed);
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length;) {
    const size = 1 + r.int(r.next() < 0.5 ? 64 : 200_000);
    chunks.push(bytes.subarray(at, at + size));
    at += size;
  }
  return Readable.from(chunks, { objectMode: false });
}

interface Outcome {
  header: string[] | null;
  rows: EncodedRows;
  error: string | null;
}

async function readAll(source: RowSource): Promise<Outcome> {
  const all = emptyEncodedRows();
  let header: string[] | null = null;
  try {
    header = await source.header();
    const inputs: ColumnInputs = { header, choice: {}, saved: undefined, fields: [], keepRejectedSkus: true };
    for await (const rows of source.rows(inputs)) {
      all.copyText += typeof rows.copyText === "string" ? rows.copyText : Buffer.from(rows.copyText).toString("utf8");
      all.rejected.push(...rows.rejected);
      all.rejectedSkus.push(...rows.rejectedSkus);
      all.rows += rows.rows;
      all.unspecifiedActive += rows.unspecifiedActive;
    }
    return { header, rows: all, error: null };
  } catch (error) {
    return { header, rows: all, error: (error as Error).message };
  } finally {
    await source.close();
  }
}

/** The file read both ways: on this thread as one piece, and in a worker from random pieces. */
async function bothWays(bytes: Buffer, seed: number) {
  const dialect = detectDialect(bytes.subarray(0, 64 * 1024));
  const here = readCsv(Readable.from([bytes], { objectMode: false }), dialect);
  const sequential = await readAll(rowsOnThisThread(here.records, here.close));
  const threaded = await readAll(rowsFromWorker(inChunks(bytes, seed), dialect, bytes.subarray(0, 64 * 1024)));
  return { sequential, threaded };
}

describe("a file read in a worker thread", () => {
  it("gives the same rows, rejections, line numbers and messages as on this thread, on 300 random files", async () => {
    let failures = 0;
    let rejections = 0;
    for (let seed = 1; seed <= 300; seed += 1) {
      const bytes = Buffer.from(randomCsv(seed, 20 + (seed % 7) * 60), "utf8");
      const { sequential, threaded } = await bothWays(bytes, seed);
      expect(threaded, `seed ${seed}`).toEqual(sequential);
      if (sequential.error) failures += 1;
      rejections += sequential.rows.rejected.length;
    }
    // The files exercise what they should: some cannot be parsed, many rows are rejected.
    expect(failures).toBeGreaterThan(10);
    expect(rejections).toBeGreaterThan(1000);
  });

  it("reads Windows-1252, UTF-16 and semicolon files alike", async () => {
    const csv = randomCsv(7, 400).replaceAll(/[^\u0000-\u00ff\r\n]/g, "?");
    const files = [
      iconv.encode(csv, "windows-1252"),
      Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(csv, "utf-16le")]),
      Buffer.from(csv.replaceAll(",", ";"), "utf8"),
    ];
    for (const [index, bytes] of files.entries()) {
      const { sequential, threaded } = await bothWays(bytes, index);
      expect(sequential.rows.rows).toBeGreaterThan(300);
      expect(threaded).toEqual(sequential);
    }
  });

  it("says an empty file is empty", async () => {
    const { sequential, threaded } = await bothWays(Buffer.from("\n\n"), 1);
    expect(sequential.error).toMatch(/empty/);
    expect(threaded).toEqual(sequential);
  });
});

describe("a parse worker that dies", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app?.stop());

  it("fails its import with a clear reason, applies nothing, and the server goes on", async () => {
    const rows = Array.from({ length: 200_000 }, (_, index) => `KILL-${index},Product ${index},${"words ".repeat(8)}`);
    const body = ["sku,name,description", ...rows].join("\n");
    // Sent slowly enough that the worker is still reading when it is stopped.
    const chunks = Array.from({ length: 40 }, (_, index) => body.slice((index * body.length) / 40, ((index + 1) * body.length) / 40));
    const slowly = new ReadableStream({
      async pull(controller) {
        const chunk = chunks.shift();
        if (chunk === undefined) return controller.close();
        await sleep(50);
        controller.enqueue(new TextEncoder().encode(chunk));
      },
    });
    const answer = fetch(`${app.url}/api/imports?filename=kill.csv`, {
      method: "POST",
      headers: { "Content-Type": "text/csv" },
      body: slowly,
      duplex: "half",
    } as RequestInit);
    await waitUntil("a parse worker to take the upload", () => readingParseWorkers.size > 0, 10_000, 20);
    expect(readingParseWorkers.size).toBe(1);
    // The import is made once the worker has read the header, so the failure has an import to land on.
    await waitUntil(
      "the worker to have read the header of kill.csv",
      async () => (await app.api.imports.list.query({})).items.some((item) => item.filename === "kill.csv"),
      10_000,
    );
    for (const worker of readingParseWorkers) await worker.terminate();

    const response = await answer;
    const json = (await response.json()) as { error: string; id?: string };
    expect(response.status).toBe(503);
    expect(json.error).toMatch(/file reader stopped unexpectedly/);
    const failed = await app.api.imports.get.query({ id: json.id! });
    expect(failed).toMatchObject({ status: "failed", error: expect.stringMatching(/file reader stopped/) });
    expect((await app.api.products.list.query({ sku: "KILL-" })).total).toBe(0);
    // The next upload goes through, in a worker again.
    const next = await importCsv(app, ["sku,name", ...Array.from({ length: 20_000 }, (_, index) => `NEXT-${index},Next ${index}`)].join("\n"));
    expect(next).toMatchObject({ status: "completed", createdCount: 20_000 });
  });
});
