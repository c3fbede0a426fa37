import { defineConfig } from "vitest/config";

/** The throwaway embedded Postgres every project but `unit` runs against. */
const postgres = ["tests/support/global-setup.ts"];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: more parallel files only make each slower.
    maxWorkers: 2,
    projects: [
      {
        // Pure functions, beside the code they test: no database, no server, a second or two.
        extends: true,
        test: { name: "unit", include: ["server/**/*.test.ts", "app/**/*.test.ts", "db/**/*.test.ts"] },
      },
      {
        // The product through its API and plain routes, on a real Postgres and a real HTTP server.
        extends: true,
        test: {
          name: "integration",
          include: ["tests/imports/**/*.test.ts", "tests/products/**/*.test.ts", "tests/webhooks/**/*.test.ts", "tests/feeds/**/*.test.ts"],
          globalSetup: postgres,
        },
      },
      {
        // Real server processes: access over HTTP, slow clients, SIGKILL, SIGTERM, several processes on one database.
        extends: true,
        test: { name: "system", include: ["tests/server/**/*.test.ts"], globalSetup: postgres },
      },
      {
        extends: true,
        test: { name: "browser", include: ["tests/browser/**/*.test.ts"], fileParallelism: false, globalSetup: postgres },
      },
    ],
  },
});
