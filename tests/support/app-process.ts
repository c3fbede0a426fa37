import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { freePort } from "../../db/embedded.js";
import { waitUntil } from "./wait.js";

const ROOT = path.resolve(import.meta.dirname, "../..");

// Tests take free ports from here too.
export { freePort };

export interface AppProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  /** Whether the process is still running. */
  alive: () => boolean;
  /** Resolves when the process has exited: its exit code, or the signal that ended it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Peak resident memory of the server process so far, in bytes (Linux VmHWM). */
  peakRss: () => number;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Runs the real server (`node --import tsx main.ts`) as its own process. */
export async function startAppProcess(env: Record<string, string>, options: { timeoutMs?: number; nodeArgs?: string[] } = {}): Promise<AppProcess> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), "--import", "tsx", "main.ts"], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: "warn", HOST: "127.0.0.1", ...env, PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntil(
      () => `the server to answer /healthz; its output:\n${output}`,
      async () => {
        if (child.exitCode !== null || child.signalCode !== null) {
          throw new Error(`The server exited during start-up (code ${child.exitCode}, signal ${child.signalCode}):\n${output}`);
        }
        return fetch(`${url}/healthz`).then(
          (res) => res.ok,
          () => false,
        );
      },
      options.timeoutMs ?? 60_000,
      100,
    );
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  return {
    url,
    child,
    output: () => output,
    alive: () => child.exitCode === null && child.signalCode === null,
    exited,
    peakRss: () => {
      const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
      return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
    },
    async stop(signal = "SIGTERM") {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
      const { code } = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
