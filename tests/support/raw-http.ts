import http from "node:http";
import net from "node:net";

/** A request sent exactly as written: fetch would resolve `..` and `%2e`, and never lets a test set Host. */
export function rawRequest(base: string, path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }>((resolve, reject) => {
    const { port } = new URL(base);
    const request = http.request({ host: "127.0.0.1", port, path, method: options.method ?? "GET", headers: options.headers }, (response) => {
      let body = "";
      response.on("data", (chunk) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode!, body, headers: response.headers }));
    });
    request.on("error", reject);
    request.end(options.body);
  });
}

/**
 * A client on a socket of its own that sends `head` (request line, headers and the first bytes of a
 * body) and then nothing. It reads only the first chunk of the answer (enough for the status line)
 * and then stops reading, so a server streaming to it fills the socket and waits.
 */
export interface SilentClient {
  /** The answer's status code once the first chunk arrived, else null. */
  status: () => number | null;
  /** The first chunk of the answer, as text. */
  firstChunk: () => string;
  closed: () => boolean;
  /** Starts reading again, to the end; resolves with everything after the first chunk. */
  readTheRest(): Promise<string>;
  destroy(): void;
}

export async function silentClient(base: string, head: string): Promise<SilentClient> {
  const { port } = new URL(base);
  const socket = net.connect(Number(port), "127.0.0.1");
  await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
  let first = "";
  let closed = false;
  socket.on("error", () => {});
  socket.on("close", () => (closed = true));
  socket.once("data", (chunk) => {
    first = chunk.toString("latin1");
    socket.pause();
  });
  socket.write(head);
  return {
    status: () => {
      const match = /^HTTP\/1\.1 (\d{3})/.exec(first);
      return match ? Number(match[1]) : null;
    },
    firstChunk: () => first,
    closed: () => closed,
    readTheRest: () =>
      new Promise<string>((resolve) => {
        const chunks: Buffer[] = [];
        let tail = Buffer.alloc(0);
        // A chunked answer is complete at its zero-length chunk; the socket may stay open after it.
        // (Only the last bytes are looked at: joining every chunk each time is quadratic in the answer.)
        const complete = () => tail.toString("latin1") === "0\r\n\r\n";
        socket.on("data", (chunk: Buffer) => {
          chunks.push(chunk);
          tail = Buffer.concat([tail, chunk]).subarray(-5);
          if (complete()) resolve(Buffer.concat(chunks).toString("utf8"));
        });
        socket.on("close", () => resolve(Buffer.concat(chunks).toString("utf8")));
        socket.resume();
      }),
    destroy: () => socket.destroy(),
  };
}

/**
 * A client on a socket of its own that sends `head` and then one byte every `everyMs`, for as
 * long as the server keeps the connection open (a slowloris) or until told to stop (and fall
 * silent). It reads whatever the server answers.
 */
export interface TricklingClient {
  /** The answer's status code once its status line arrived, else null. */
  status: () => number | null;
  /** Everything the server sent, as text. */
  answer: () => string;
  /** Resolves with the milliseconds from connecting until the server closed the connection. */
  closed: Promise<number>;
  /** Bytes written after `head`. */
  trickled: () => number;
  /** Sends nothing more, keeping the connection open. */
  fallSilent(): void;
  destroy(): void;
}

export async function tricklingClient(base: string, head: string, everyMs: number, byte = "a"): Promise<TricklingClient> {
  const { port } = new URL(base);
  const socket = net.connect(Number(port), "127.0.0.1");
  await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
  const startedAt = performance.now();
  let answer = "";
  let trickled = 0;
  socket.on("error", () => {});
  socket.on("data", (chunk: Buffer) => (answer += chunk.toString("latin1")));
  socket.write(head);
  const timer = setInterval(() => {
    if (!socket.writable) return;
    socket.write(byte);
    trickled += 1;
  }, everyMs);
  const closed = new Promise<number>((resolve) =>
    socket.once("close", () => {
      clearInterval(timer);
      resolve(performance.now() - startedAt);
    }),
  );
  return {
    status: () => {
      const match = /^HTTP\/1\.1 (\d{3})/.exec(answer);
      return match ? Number(match[1]) : null;
    },
    answer: () => answer,
    closed,
    trickled: () => trickled,
    fallSilent: () => clearInterval(timer),
    destroy: () => socket.destroy(),
  };
}

/** Uploads a CSV as a raw body, one piece every `everyMs` (a slow link that keeps sending); the answer's status and text. */
export function uploadInPieces(base: string, filename: string, pieces: string[], everyMs: number): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${base}/api/imports?filename=${encodeURIComponent(filename)}`,
      { method: "POST", headers: { "Content-Type": "text/csv", "Content-Length": Buffer.byteLength(pieces.join("")) } },
      (answer) => {
        let text = "";
        answer.on("data", (chunk) => (text += chunk));
        answer.on("end", () => resolve({ status: answer.statusCode!, text }));
      },
    );
    request.on("error", reject);
    let next = 0;
    const timer = setInterval(() => {
      request.write(pieces[next++]);
      if (next === pieces.length) {
        clearInterval(timer);
        request.end();
      }
    }, everyMs);
  });
}
