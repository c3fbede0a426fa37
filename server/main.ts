import { loadConfig } from "./config.js";
import { startApp } from "./runtime.js";

const config = loadConfig();
const app = await startApp(config);
console.log(`Product Importer is listening on ${app.url}`);

let stopping = false;
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, "shutting down");
    app.stop().then(
      () => process.exit(0),
      (error) => {
        app.log.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  });
}
