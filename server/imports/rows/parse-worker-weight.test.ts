import { cruise } from "dependency-cruiser";
import { expect, it } from "vitest";

/**
 * Every parse worker thread loads the modules below parse-worker.ts. zod and Kysely would each slow
 * a worker's start and hold memory in it (measured: zod +80 ms and +13 MB, Kysely +190 ms and
 * +19 MB), so the facts the worker reads live in files that import neither.
 */
it("the parse worker thread loads neither zod nor Kysely", async () => {
  // Without type-only imports: those are erased and load nothing.
  const { output } = await cruise(["server/imports/rows/parse-worker.ts"], {
    tsPreCompilationDeps: false,
    doNotFollow: { path: "node_modules" },
    tsConfig: { fileName: "tsconfig.json" },
  });
  const loaded = (output as { modules: { source: string }[] }).modules.map((module) => module.source);
  expect(loaded).toContain("server/imports/rows/row-encoder.ts");
  expect(loaded.filter((source) => /node_modules\/(zod|kysely)\//.test(source))).toEqual([]);
});
