import http, { type RequestListener } from "node:http";
import { checkEvery } from "../http/client-silence.js";

/** Node's default, stated so nobody turns it off: an idle kept-alive connection is closed after this. */
const KEEP_ALIVE_TIMEOUT_MS = 5_000;

/**
 * The HTTP server with the timeouts the app relies on. Node's whole-request timeout
 * (requestTimeout) stays off because it cannot spare one route, and an upload of a gigabyte over a
 * slow link takes minutes: every other route has the request deadline instead (request-deadline.ts),
 * and the upload watches its client's pace. Headers spare nobody, so Node times them itself
 * (headersTimeout, also a new connection that sends nothing), checking often enough for the
 * timeout to mean what it says (its default look is every 30 s).
 */
export function createHttpServer(app: RequestListener, options: { requestTimeoutMs: number }): http.Server {
  const server = http.createServer(
    { requestTimeout: 0, headersTimeout: options.requestTimeoutMs, connectionsCheckingInterval: checkEvery(options.requestTimeoutMs) },
    app,
  );
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  return server;
}
