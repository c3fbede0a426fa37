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

/**
 * The capabilities inside server/, lowest first: a folder imports only folders before it (and the
 * files at server/'s root, which import none), so no two folders import each other, type-only
 * imports included (README, "Folders"). The same for the import path's stages inside imports/,
 * whose root (schema, statuses, table, router) and stages may use each other.
 */
const SERVER_FOLDERS = [
  "metrics",
  "files",
  "events",
  "auth",
  "trpc",
  "tokens",
  "http",
  "products",
  "mappings",
  "webhooks",
  "imports",
  "feeds",
  "web",
];
const IMPORT_STAGES = ["staging", "rows", "apply", "review", "undo", "progress", "upload", "fixing"];
const lowerFirst = (base, folders, what) =>
  folders.slice(0, -1).map((folder, index) => ({
    target: `${base}/${folder}`,
    from: folders.slice(index + 1).map((later) => `${base}/${later}`),
    message: `${base}/${folder} may not import ${what} after it (${folders.join(" → ")}): move the shared part down, or pass it in.`,
  }));
const serverOrder = [
  {
    target: "./server/*.ts",
    from: SERVER_FOLDERS.map((folder) => `./server/${folder}/**`),
    message: "server/'s root files are shared by every capability and import none of them.",
  },
  ...lowerFirst("./server", SERVER_FOLDERS, "a server/ folder"),
  ...lowerFirst("./server/imports", IMPORT_STAGES, "an import stage"),
];

export default tseslint.config(
  { ignores: ["build/", "public/build/", "dist/", ".bench/", ".data/", ".cache/", ".scratch/", "node_modules/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { "import-x": importX },
    settings: { "import-x/resolver-next": [createTypeScriptImportResolver({ project: "tsconfig.json" })] },
    rules: {
      // Skips type-only imports; .dependency-cruiser.cjs (also in `npm run lint`) counts them too.
      "import-x/no-cycle": "error",
      "import-x/no-restricted-paths": ["error", { zones: [...layers, ...serverOrder] }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      "@typescript-eslint/no-explicit-any": "error",
      // NUL and the other C0 control characters are matched on purpose (text Postgres cannot store).
      "no-control-regex": "off",
    },
  },
  {
    // A *.schema.ts file reaches the browser too (app/ imports it): zod, other schemas and db/schema.ts only, types included.
    files: ["**/*.schema.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              // "!**/" lets the negations reach files under ../ (gitignore cannot re-include a file inside an excluded folder).
              group: ["**", "!**/", "!zod", "!**/*.schema.js", "!**/db/schema.js"],
              message: "A *.schema.ts file is imported by the browser too: it may import only zod, other *.schema.ts files and db/schema.ts.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["**/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: { module: "writable", require: "readonly" } },
  },
  {
    // Tests read untyped JSON answers and poke at internals on purpose.
    files: ["tests/**", "bench/**", "**/*.test.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
);
