import { loadConfig, StartupRefused } from "./config.js";
import { createLogger } from "./logger.js";
import { startApp, type RunningApp } from "./runtime.js";

/** Beyond the drain deadline: something hangs, and the orchestrator would kill us anyway. */
const OVERRUN_MS = 5_000;

let app: RunningApp;
try {
  const config = loadConfig();
  app = await startApp(config);
  console.log(`Product Importer is listening on ${app.url}`);
  handleSignals(app, config.SHUTDOWN_TIMEOUT_MS);
} catch (error) {
  // A refusal or a bad setting is one clear line for the operator, not a stack trace.
  const log = createLogger("info");
  if (error instanceof StartupRefused || (error as Error).message.startsWith("Invalid configuration")) log.fatal((error as Error).message);
  else log.fatal({ err: error }, "start-up failed");
  process.exit(1);
}

function handleSignals(running: RunningApp, shutdownTimeoutMs: number) {
  let stopping = false;
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      running.log.info({ signal, shutdownTimeoutMs }, "shutting down");
      setTimeout(() => {
        running.log.error("shutdown overran its deadline; exiting");
        process.exit(1);
      }, shutdownTimeoutMs + OVERRUN_MS).unref();
      running.stop().then(
        () => {
          running.log.info("stopped");
          process.exit(0);
        },
        (error) => {
          running.log.error({ err: error }, "shutdown failed");
          process.exit(1);
        },
      );
    });
  }
}
