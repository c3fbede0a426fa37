import http from "node:http";
import type { AddressInfo } from "node:net";

/** What a path answers: a file (with an ETag honoured by If-None-Match), or a handler of its own. */
export type Answer =
  | { body: Buffer | string; etag?: string; lastModified?: string; contentType?: string; contentEncoding?: string; filename?: string }
  | ((req: http.IncomingMessage, res: http.ServerResponse) => void);

export interface FileServer {
  url(path: string): string;
  serve(path: string, answer: Answer): void;
  /** The requests a path received, oldest first. */
  requests(path: string): http.IncomingHttpHeaders[];
  close(): Promise<void>;
}

/** A supplier's web server on loopback: answers each path as told, and records what it was asked. */
export async function startFileServer(): Promise<FileServer> {
  const answers = new Map<string, Answer>();
  const seen = new Map<string, http.IncomingHttpHeaders[]>();
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    seen.set(path, [...(seen.get(path) ?? []), req.headers]);
    const answer = answers.get(path);
    if (!answer) {
      res.writeHead(404).end("not found");
      return;
    }
    if (typeof answer === "function") {
      answer(req, res);
      return;
    }
    if (answer.etag && req.headers["if-none-match"] === answer.etag) {
      res.writeHead(304, { ETag: answer.etag }).end();
      return;
    }
    if (answer.lastModified && !answer.etag && req.headers["if-modified-since"] === answer.lastModified) {
      res.writeHead(304, { "Last-Modified": answer.lastModified }).end();
      return;
    }
    const headers: Record<string, string> = { "Content-Type": answer.contentType ?? "text/csv" };
    if (answer.etag) headers.ETag = answer.etag;
    if (answer.lastModified) headers["Last-Modified"] = answer.lastModified;
    if (answer.contentEncoding) headers["Content-Encoding"] = answer.contentEncoding;
    if (answer.filename) headers["Content-Disposition"] = `attachment; filename="${answer.filename}"`;
    res.writeHead(200, headers).end(answer.body);
  });
  const sockets = new Set<import("node:net").Socket>();
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    serve: (path, answer) => answers.set(path, answer),
    requests: (path) => seen.get(path) ?? [],
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
