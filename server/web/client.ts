import { createTRPCClient, httpLink } from "@trpc/client";
import type { AppRouter } from "./app-router.js";

export type { AppRouter };

export interface ProductImporterClientOptions {
  /** Sent as `Authorization: Bearer <token>`: the app's password (APP_PASSWORD). */
  token?: string;
  /** More headers for every call. */
  headers?: Record<string, string>;
}

/**
 * A typed client of the API (`product-importer/client`): every procedure with its input and output
 * types, plain JSON as CONTRACT.md says (no transformer), one HTTP request per call.
 */
export function createProductImporterClient(url: string, options: ProductImporterClientOptions = {}) {
  const endpoint = new URL("api/trpc", url.endsWith("/") ? url : `${url}/`).toString();
  const headers = { ...options.headers, ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}) };
  return createTRPCClient<AppRouter>({ links: [httpLink({ url: endpoint, headers })] });
}

export type ProductImporterClient = ReturnType<typeof createProductImporterClient>;
