// @ts-check
import js from "@eslint/js";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";
import importX from "eslint-plugin-import-x";
import tseslint from "typescript-eslint";

/**
 * Which folder may import which (README, "Architecture"): app → server → db, jobs → server → db.
 * Only the composition root (runtime.ts, main.ts), the tests and the benchmarks see everything.
 */
const ROOT = ["./runtime.ts", "./main.ts"];
const layers = [
  { target: "./db", from: ["./server", "./jobs", "./app", ...ROOT], message: "db/ imports nothing of ours but its own files." },
  {
    target: "./server",
    from: ["./jobs", "./app", ...ROOT],
    message: "server/ never reaches into jobs/ or app/: the composition root (runtime.ts) hands it what it needs.",
  },
  { target: "./jobs", from: ["./app", ...ROOT], message: "jobs/ calls into server/ only." },
  {
    target: "./app",
    from: ["./jobs", "./db", ...ROOT],
    message: "app/ reaches the database through server/ (the load context's procedures), never db/ or jobs/.",
  },
];

export default tseslint.config(
  { ignores: ["build/", "public/build/", "dist/", ".bench/", ".data/", ".cache/", ".scratch/", "node_modules/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { "import-x": importX },
    settings: { "import-x/resolver-next": [createTypeScriptImportResolver({ project: "tsconfig.json" })] },
    rules: {
      "import-x/no-cycle": "error",
      "import-x/no-restricted-paths": ["error", { zones: layers }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      "@typescript-eslint/no-explicit-any": "error",
      // NUL and the other C0 control characters are matched on purpose (text Postgres cannot store).
      "no-control-regex": "off",
    },
  },
  {
    // Tests read untyped JSON answers and poke at internals on purpose.
    files: ["tests/**", "bench/**", "**/*.test.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
);
