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

function* catalogLines() {
  yield "sku,name,description\n";
  for (let row = 0; row < ROWS; row += 1) yield `stream-${row},Row ${row},"${DESCRIPTION}"\n`;
}

it("stages a file far larger than the memory the server is allowed, without holding it", async () => {
  const fileBytes = Buffer.byteLength([...catalogLines()].join(""));
  expect(fileBytes).toBeGreaterThan(300 * 1024 * 1024);

  const response = await new Promise<{ status: number; body: any }>((resolve, reject) => {
    const request = http.request(
      `${server.url}/api/imports?filename=huge.csv`,
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
    "the import to complete",
    async () => {
      const res = await fetch(`${server.url}/api/trpc/imports.get?input=${encodeURIComponent(JSON.stringify({ id: response.body.id }))}`);
      const item = ((await res.json()) as { result: { data: any } }).result.data;
      if (item.status === "completed") {
        expect(item).toMatchObject({ createdCount: ROWS, errorCount: 0, sizeBytes: fileBytes });
        return true;
      }
      expect(["queued", "processing"]).toContain(item.status);
      return false;
    },
    110_000,
    200,
  );
  expect(server.peakRss()).toBeLessThan(fileBytes);
}, 120_000);
