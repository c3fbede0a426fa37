import { createReadStream, statSync } from "node:fs";
import http from "node:http";
import { createProductImporterClient } from "../../server/web/client.js";

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
    uploadFile(file: string, filename: string): Promise<{ status: number; body: any }> {
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
                resolve({ status: response.statusCode!, body: text });
              }
            });
          },
        );
        request.on("error", reject);
        createReadStream(file).on("error", reject).pipe(request);
      });
    },

    /** Uploads a small CSV held in memory (multipart, as the browser does). */
    async uploadCsv(csv: string, filename: string): Promise<{ status: number; body: any }> {
      const form = new FormData();
      form.append("file", new Blob([csv], { type: "text/csv" }), filename);
      const response = await fetch(`${baseUrl}/api/imports`, { method: "POST", body: form, headers });
      return { status: response.status, body: await response.json() };
    },

    /** Polls `imports.get` until `until` holds; the error names the last state seen. */
    async waitForImport(
      id: string,
      until: (item: any) => boolean = (item) => ["completed", "failed", "cancelled"].includes(item.status),
      timeoutMs = 60_000,
    ): Promise<any> {
      const deadline = Date.now() + timeoutMs;
      let last: any;
      for (;;) {
        last = await client.getImport(id).catch((error: Error) => ({ status: `unreadable: ${error.message}` }));
        if (until(last)) return last;
        if (Date.now() > deadline) throw new Error(`import ${id} did not get there in ${timeoutMs} ms; last seen: ${JSON.stringify(last)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
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
