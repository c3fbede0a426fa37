import { isLostConnection } from "./db/postgres-errors.js";
import { loadConfig, StartupRefused } from "./server/config.js";
import { createLogger, type Logger } from "./server/logger.js";
import { startApp, type RunningApp } from "./runtime.js";

/** Beyond the drain deadline: something hangs, and the orchestrator would kill us anyway. */
const OVERRUN_MS = 5_000;

// Until the configuration is read; the app's own logger (at LOG_LEVEL) replaces it.
let log: Logger = createLogger("info");

/**
 * pg-boss 10 does not await some of its own queries (timgit/pg-boss#577): while Postgres restarts
 * they reject with nobody listening. That is an outage to ride out, not a reason to exit; any
 * other unhandled rejection is a bug and ends the process as Node would.
 */
process.on("unhandledRejection", (reason) => {
  if (isLostConnection(reason)) {
    log.warn({ error: (reason as Error).message }, "database connection lost in the background; carrying on");
    return;
  }
  log.fatal({ err: reason }, "unhandled rejection");
  process.exit(1);
});

try {
  const config = loadConfig();
  const app = await startApp(config);
  log = app.log;
  console.log(`Product Importer is listening on ${app.url}`);
  stopOnSignals(app, config.SHUTDOWN_TIMEOUT_MS);
} catch (error) {
  // A refusal or a bad setting is one clear line for the operator, not a stack trace.
  if (error instanceof StartupRefused) log.fatal(error.message);
  else log.fatal({ err: error }, "start-up failed");
  process.exit(1);
}

function stopOnSignals(app: RunningApp, shutdownTimeoutMs: number) {
  let stopping = false;
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      app.log.info({ signal, shutdownTimeoutMs }, "shutting down");
      setTimeout(() => {
        app.log.error("shutdown overran its deadline; exiting");
        process.exit(1);
      }, shutdownTimeoutMs + OVERRUN_MS).unref();
      app.stop().then(
        () => {
          app.log.info("stopped");
          process.exit(0);
        },
        (error) => {
          app.log.error({ err: error }, "shutdown failed");
          process.exit(1);
        },
      );
    });
  }
}
