import http from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedRequest {
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
}

/** How the receiver answers one request: a status (after a delay), or a dropped connection. */
export type Answer = { status: number; delayMs?: number; body?: string; headers?: Record<string, string> } | "hang-up";

/**
 * A real HTTP server on loopback that records what it is sent; `answer` decides each reply.
 * `port` brings a receiver back where an earlier one was.
 */
export async function startReceiver(
  answer: (request: ReceivedRequest, index: number) => Answer = () => ({ status: 200 }),
  options: { port?: number } = {},
) {
  const received: ReceivedRequest[] = [];
  const waiters: (() => void)[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      const request = { headers: req.headers, body, at: Date.now() };
      const reply = answer(request, received.length);
      received.push(request);
      waiters.splice(0).forEach((wake) => wake());
      if (reply === "hang-up") return req.socket.destroy();
      setTimeout(() => {
        if (!res.destroyed)
          res.writeHead(reply.status, { "Content-Type": "text/plain", ...reply.headers }).end(reply.body ?? `answered ${reply.status}`);
      }, reply.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    port,
    received,
    /** Resolves once `count` requests have arrived. */
    async waitFor(count: number, timeoutMs = 15_000): Promise<ReceivedRequest[]> {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`receiver got ${received.length} of ${count} requests in ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 100);
        });
      }
      return received.slice(0, count);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
export type Receiver = Awaited<ReturnType<typeof startReceiver>>;

/** A receiver that reads every request and never answers (each attempt times out), counting how many it holds at once. */
export async function startHangingReceiver() {
  let open = 0;
  let mostAtOnce = 0;
  let received = 0;
  const server = http.createServer((req, res) => {
    open += 1;
    received += 1;
    mostAtOnce = Math.max(mostAtOnce, open);
    req.resume();
    res.on("close", () => (open -= 1));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    stats: () => ({ mostAtOnce, received }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
