import { createReadStream, statSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { REAL_CATALOG } from "./catalog-file.js";

/** Scratch space for generated files and benchmark clusters (gitignored). */
export const WORK_DIR = path.resolve(".bench");
/** The 500,000-row catalog file every benchmark that imports one shares. */
export const CATALOG_FILE = path.join(WORK_DIR, `catalog-${REAL_CATALOG.rows}-${REAL_CATALOG.seed}-v2.csv`);

export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
export const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))] ?? 0;

/** One tRPC call over HTTP, as any client of the contract makes it; throws on an error answer. */
export async function trpcCall(baseUrl: string, procedure: string, input: unknown, method: "GET" | "POST" = "GET") {
  const response =
    method === "GET"
      ? await fetch(`${baseUrl}/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`)
      : await fetch(`${baseUrl}/api/trpc/${procedure}`, { method, headers: { "Content-Type": "application/json" }, body: JSON.stringify(input) });
  const body = (await response.json()) as { result?: { data: any }; error?: unknown };
  if (!body.result) throw new Error(`${procedure} failed: ${JSON.stringify(body.error)}`);
  return body.result.data;
}

/** Streams a file to POST /api/imports as a raw text/csv body. */
export function uploadFile(baseUrl: string, file: string): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${baseUrl}/api/imports?filename=${path.basename(file)}`,
      { method: "POST", headers: { "Content-Type": "text/csv", "Content-Length": statSync(file).size } },
      (response) => {
        let text = "";
        response.on("data", (chunk) => (text += chunk));
        response.on("end", () => resolve({ status: response.statusCode!, body: JSON.parse(text) }));
      },
    );
    request.on("error", reject);
    createReadStream(file).pipe(request);
  });
}
