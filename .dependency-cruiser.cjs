/**
 * Import cycles, type-only imports included: eslint's import-x/no-cycle skips `import type`, and a
 * type-only cycle still ties two modules together. eslint.config.js orders the folders.
 * `npm run lint` runs it: depcruise --config .dependency-cruiser.cjs app server db jobs runtime.ts main.ts
 */
module.exports = {
  forbidden: [
    {
      name: "no-cycle",
      comment: "No module may reach itself through its imports, types included.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "no-folder-cycle",
      comment: "No two folders inside server/ import each other (a folder and its own subfolders aside).",
      severity: "error",
      scope: "folder",
      from: { path: "^server/" },
      to: { circular: true },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(node_modules|build|dist)/" },
  },
};
