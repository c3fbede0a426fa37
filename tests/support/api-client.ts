import { createReadStream, statSync } from "node:fs";
import http from "node:http";
import { createProductImporterClient } from "../../server/web/client.js";
import type { ImportJson } from "../../server/imports/import-json.js";
import { isTerminal } from "../../server/imports/import-status.js";
import type { UploadAnswer } from "./upload-answer.js";
import { waitUntil } from "./wait.js";

/**
 * The contract's HTTP surface as an outside client uses it, for servers running as their own
 * processes (tests/support/app-process.ts): the typed tRPC client, streamed uploads.
 */
export function apiClient(baseUrl: string, options: { headers?: Record<string, string> } = {}) {
  const headers = options.headers ?? {};
  const api = createProductImporterClient(baseUrl, { headers });
  const client = {
    url: baseUrl,
    /** The typed API client another service would use (product-importer/client). */
    api,
    getImport: (id: string) => api.imports.get.query({ id }),

    /** Streams a file from disk to `POST /api/imports` as a raw `text/csv` body. */
    uploadFile(file: string, filename: string): Promise<UploadAnswer> {
      return new Promise((resolve, reject) => {
        const request = http.request(
          `${baseUrl}/api/imports?filename=${encodeURIComponent(filename)}`,
          { method: "POST", headers: { ...headers, "Content-Type": "text/csv", "Content-Length": statSync(file).size } },
          (response) => {
            let text = "";
            response.setEncoding("utf8");
            response.on("data", (chunk) => (text += chunk));
            response.on("end", () => {
              try {
                resolve({ status: response.statusCode!, body: JSON.parse(text) });
              } catch {
                reject(new Error(`POST /api/imports answered ${response.statusCode} with no JSON: ${text.slice(0, 500)}`));
              }
            });
          },
        );
        request.on("error", reject);
        createReadStream(file).on("error", reject).pipe(request);
      });
    },

    /** Uploads a small CSV held in memory (multipart, as the browser does). */
    async uploadCsv(csv: string, filename: string): Promise<UploadAnswer> {
      const form = new FormData();
      form.append("file", new Blob([csv], { type: "text/csv" }), filename);
      const response = await fetch(`${baseUrl}/api/imports`, { method: "POST", body: form, headers });
      return { status: response.status, body: await response.json() };
    },

    /** Uploads a small CSV held in memory and waits for its import to complete (a test's catalog to start from). */
    async importCsv(csv: string, filename: string): Promise<ImportJson> {
      const { status, body } = await client.uploadCsv(csv, filename);
      if (status !== 202) throw new Error(`POST /api/imports answered ${status}: ${JSON.stringify(body)}`);
      return client.waitForImport(body.id, (item) => item.status === "completed");
    },

    /**
     * Polls `imports.get` until `until` holds; a server that does not answer for a moment (a
     * restart, an outage) is polled on. The error names the last state seen.
     */
    waitForImport(id: string, until: (item: ImportJson) => boolean = (item) => isTerminal(item.status), timeoutMs = 60_000): Promise<ImportJson> {
      let last = "nothing yet";
      return waitUntil(
        () => `import ${id} to get there; last seen: ${last}`,
        async () => {
          const item = await client.getImport(id).catch((error: Error) => {
            last = `unreadable: ${error.message}`;
          });
          if (!item) return undefined;
          last = JSON.stringify(item);
          return until(item) && item;
        },
        timeoutMs,
        100,
      );
    },

    async healthStatus(): Promise<number | string> {
      return fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(5_000) }).then(
        (response) => response.status,
        (error: Error) => `no answer: ${error.message}`,
      );
    },
  };
  return client;
}

export type ApiClient = ReturnType<typeof apiClient>;
