import { afterAll, beforeAll, expect, it } from "vitest";
import http from "node:http";
import { Readable } from "node:stream";
import { startAppProcess, type AppProcess } from "../support/app-process.js";
import { createTestDatabase } from "../support/test-database.js";
import { waitUntil } from "../support/wait.js";

const HEAP_LIMIT_MB = 80;
const ROWS = 3_200;
const DESCRIPTION = "Stitched by hand, washed twice, folded once. ".repeat(2_200).slice(0, 99_000);

let server: AppProcess;
beforeAll(async () => {
  // The server may use at most 80 MB of heap; the file is over 300 MB.
  server = await startAppProcess({
    DATABASE_URL: await createTestDatabase(),
    NODE_OPTIONS: `--max-old-space-size=${HEAP_LIMIT_MB}`,
  });
});
afterAll(() => server?.stop());

async function query(procedure: string, input: unknown) {
  const res = await fetch(`${server.url}/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`);
  return ((await res.json()) as { result: { data: any } }).result.data;
}

function* catalogLines() {
  yield "sku,name,description\n";
  for (let row = 0; row < ROWS; row += 1) yield `stream-${row},Row ${row},"${DESCRIPTION}"\n`;
}

// Staging is what must not hold the file: the import stops at review, so applying 300 MB of
// descriptions (row by row into the trigram index, as any write under 20,000 rows does) is not timed here.
it("stages a file far larger than the memory the server is allowed, without holding it", async () => {
  let fileBytes = 0;
  for (const line of catalogLines()) fileBytes += Buffer.byteLength(line);
  expect(fileBytes).toBeGreaterThan(300 * 1024 * 1024);

  const response = await new Promise<{ status: number; body: any }>((resolve, reject) => {
    const request = http.request(
      `${server.url}/api/imports?filename=huge.csv&review=1`,
      { method: "POST", headers: { "Content-Type": "text/csv", "Transfer-Encoding": "chunked" } },
      (res) => {
        let text = "";
        res.on("data", (chunk) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
      },
    );
    request.on("error", reject);
    Readable.from(catalogLines()).pipe(request);
  });
  expect(response.status).toBe(202);

  await waitUntil(
    "the import to be staged and held for review",
    async () => {
      const item = await query("imports.get", { id: response.body.id });
      if (item.status === "review") {
        expect(item).toMatchObject({ totalRows: ROWS, errorCount: 0, sizeBytes: fileBytes });
        return true;
      }
      expect(item.status).toBe("uploading");
      return false;
    },
    110_000,
    200,
  );
  expect(await query("imports.review", { id: response.body.id })).toMatchObject({ created: ROWS, rejected: 0 });
  expect(server.peakRss()).toBeLessThan(fileBytes);
}, 120_000);
