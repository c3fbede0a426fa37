import { Refusal } from "../refusal.js";
import { publicProcedure, router } from "../trpc/trpc.js";
import { ImportNotFound } from "./import-errors.js";
import { pageInput } from "../paging.js";
import { importErrorsInput, importIdInput, inspectInput, toImportJson } from "./import.schema.js";
import { inspectFile } from "./inspect-file.js";
import { parseUploadOptions } from "./upload-options.js";
import { listRejectedRows } from "./import-errors.table.js";
import { findImport, listImports, markCancelled, requeue } from "./imports.table.js";
import { stagingTableExists } from "./staging.js";
import { TRANSITIONS } from "./import-status.js";

async function existingImport(ctx: { db: Parameters<typeof findImport>[0] }, id: string) {
  const row = await findImport(ctx.db, id);
  if (!row) throw new ImportNotFound(id);
  return row;
}

export const importsRouter = router({
  /** What a file's first bytes say (dialect, header, the mapping an upload would use, its first rows), before uploading it. */
  inspect: publicProcedure.input(inspectInput).query(({ ctx, input }) => {
    const { sample, filename, wholeFile, mapping, ...options } = input;
    const { reading, mapping: choice } = parseUploadOptions({ ...options, mapping: typeof mapping === "object" ? JSON.stringify(mapping) : mapping });
    return inspectFile(ctx.db, {
      sample: Buffer.from(sample, "base64"),
      filename: filename ?? "",
      wholeFile: wholeFile ?? false,
      reading,
      mapping: choice,
    });
  }),

  get: publicProcedure.input(importIdInput).query(async ({ ctx, input }) => toImportJson(await existingImport(ctx, input.id))),

  list: publicProcedure.input(pageInput.default({ page: 1, pageSize: 50 })).query(async ({ ctx, input }) => {
    const { items, total } = await listImports(ctx.db, input.page, input.pageSize);
    return { items: items.map(toImportJson), total, page: input.page, pageSize: input.pageSize };
  }),

  errors: publicProcedure.input(importErrorsInput).query(async ({ ctx, input }) => {
    await existingImport(ctx, input.id);
    const { items, total } = await listRejectedRows(ctx.db, input.id, input.page, input.pageSize);
    return { items, total, page: input.page, pageSize: input.pageSize };
  }),

  cancel: publicProcedure.input(importIdInput).mutation(async ({ ctx, input }) => {
    const before = await existingImport(ctx, input.id);
    const cancelled = await markCancelled(ctx.db, input.id);
    if (cancelled) return toImportJson(cancelled);
    throw new Refusal("conflict", `Import ${input.id} is already ${before.status}; only an uploading, queued or running import can be cancelled.`);
  }),

  retry: publicProcedure.input(importIdInput).mutation(async ({ ctx, input }) => {
    const before = await existingImport(ctx, input.id);
    if (!(TRANSITIONS.retry.from as readonly string[]).includes(before.status)) {
      throw new Refusal("conflict", `Import ${input.id} is ${before.status}; only a failed or cancelled import can be retried.`);
    }
    if (!before.retryable || !(await stagingTableExists(ctx.db, input.id))) {
      throw new Refusal("conflict", `Import ${input.id} cannot be retried: ${before.error ?? "its staged rows are gone"}. Upload the file again.`);
    }
    const queued = await requeue(ctx.db, input.id);
    if (!queued) throw new Refusal("conflict", `Import ${input.id} changed meanwhile; reload and try again.`);
    await ctx.imports.requestApply();
    return toImportJson(queued);
  }),
});
