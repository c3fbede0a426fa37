import { createReadStream, statSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { createProductImporterClient, type ProductImporterClient } from "../server/web/client.js";
import { BENCH_CATALOG, CUSTOM_FIELDS } from "./catalog-file.js";

/** Scratch space for generated files and benchmark clusters (gitignored). */
export const WORK_DIR = path.resolve(".bench");
/** The 500,000-row catalog file every benchmark that imports one shares. */
export const CATALOG_FILE = path.join(WORK_DIR, `catalog-${BENCH_CATALOG.rows}-${BENCH_CATALOG.seed}-v2.csv`);

export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
export const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))] ?? 0;

const clients = new Map<string, ProductImporterClient>();

/** The typed API client another service would use (product-importer/client), one per server. */
export function apiOf(baseUrl: string): ProductImporterClient {
  let client = clients.get(baseUrl);
  if (!client) clients.set(baseUrl, (client = createProductImporterClient(baseUrl)));
  return client;
}

/** Defines the fields of one's own that a catalog file with `customFields` fills, before it is imported. */
export async function defineCustomFields(baseUrl: string): Promise<void> {
  for (const field of CUSTOM_FIELDS)
    await apiOf(baseUrl).fields.create.mutate({ ...field, options: "options" in field ? [...field.options] : undefined });
}

/** Streams a file to POST /api/imports as a raw text/csv body, with upload options as query parameters. */
export function uploadFile(baseUrl: string, file: string, options: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const query = new URLSearchParams({ filename: path.basename(file), ...options });
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${baseUrl}/api/imports?${query}`,
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
