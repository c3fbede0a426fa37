import { z } from "zod";
import { idSchema } from "../ids.schema.js";
import { Refusal } from "../refusal.js";
import { publicProcedure } from "../trpc/trpc.js";
import { ImportNotFound } from "./import-errors.js";
import { pageInput } from "../paging.schema.js";
import {
  dropRejectedInput,
  fixRowsInput,
  importApplyInput,
  importChangesInput,
  importErrorsInput,
  importIdInput,
  importRevertInput,
  inspectInput,
  rejectedRowsInput,
  replaceInRejectedInput,
} from "./import.schema.js";
import { dropRejected, fixRows, rejectedRowsPage, replaceInRejected } from "./fixing/rejected-rows.js";
import { importFixed } from "./fixing/import-fixed.js";
import { toImportJson } from "./import-json.js";
import { listRepeatedSkus } from "./staging/repeated-skus.js";
import { listChanges } from "./review/import-changes.js";
import { applyReviewed, discardReviewed } from "./review/review-decision.js";
import { reviewImport, toReviewJson } from "./review/review-import.js";
import { revertImport } from "./undo/revert-import.js";
import { inspectFile } from "./upload/inspect-file.js";
import { parseUploadOptions } from "./upload/upload-options.js";
import { listRejectedRows } from "./import-errors.table.js";
import { listRowWarnings } from "./import-warnings.table.js";
import { findImport, importFilenames, listImports, markCancelled, requeue } from "./imports.table.js";
import { stagingTableExists } from "./staging/staging-table.js";
import { TRANSITIONS } from "./import-status.js";
import type { ImportScheduler } from "./import-queue.js";

declare module "../trpc/trpc.js" {
  interface ApiPorts {
    /** Gets a worker onto the imports waiting to be applied. */
    imports: ImportScheduler;
  }
}

async function existingImport(ctx: { db: Parameters<typeof findImport>[0] }, id: string) {
  const row = await findImport(ctx.db, id);
  if (!row) throw new ImportNotFound(id);
  return row;
}

/**
 * A plain record rather than router(): router() refuses the key `apply` (a name its proxies
 * reserve at the top level of the call), and CONTRACT.md names the procedure imports.apply. tRPC
 * builds nested records into the same router, with the same types.
 */
export const importsRouter = {
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

  /** The rejected rows still to fix, as a grid: the file's columns (mapped first), each row's cells and what is wrong. */
  rejectedRows: publicProcedure.input(rejectedRowsInput).query(({ ctx, input }) => rejectedRowsPage(ctx.db, input.id, input)),
  /** Cells of rejected rows changed, each row checked again with the importer's rules. */
  fixRows: publicProcedure.input(fixRowsInput).mutation(({ ctx, input }) => fixRows(ctx.db, input.id, input.rows)),
  /** One column of every rejected row still to fix: find and replace (plain or a regular expression), each changed row checked again. */
  replaceInRejected: publicProcedure.input(replaceInRejectedInput).mutation(({ ctx, input }) => replaceInRejected(ctx.db, input.id, input)),
  /** Rejected rows nobody wants, left out. */
  dropRejected: publicProcedure.input(dropRejectedInput).mutation(({ ctx, input }) => dropRejected(ctx.db, input.id, input)),
  /** The fixed rows brought in: into the import's review while it is in one, else as a new import of just those rows. */
  importFixed: publicProcedure
    .input(importIdInput)
    .mutation(async ({ ctx, input }) => toImportJson(await importFixed({ db: ctx.db, pool: ctx.pool, imports: ctx.imports }, input.id))),

  /** The file each named import read (products' `lastChange` names imports by id); unknown ids are left out. */
  filenames: publicProcedure
    .input(z.object({ ids: z.array(idSchema).max(1_000, "ids: at most 1,000 at once") }))
    .query(({ ctx, input }) => importFilenames(ctx.db, [...new Set(input.ids)])),

  list: publicProcedure.input(pageInput.default({ page: 1, pageSize: 50 })).query(async ({ ctx, input }) => {
    const { items, total } = await listImports(ctx.db, input.page, input.pageSize);
    return { items: items.map(toImportJson), total, page: input.page, pageSize: input.pageSize };
  }),

  errors: publicProcedure.input(importErrorsInput).query(async ({ ctx, input }) => {
    await existingImport(ctx, input.id);
    const { items, total } = await listRejectedRows(ctx.db, input.id, input.page, input.pageSize);
    return { items, total, page: input.page, pageSize: input.pageSize };
  }),

  /** Values read but left out of accepted rows (an image that is no URL), by line. */
  warnings: publicProcedure.input(importErrorsInput).query(async ({ ctx, input }) => {
    await existingImport(ctx, input.id);
    const { items, total } = await listRowWarnings(ctx.db, input.id, input.page, input.pageSize);
    return { items, total, page: input.page, pageSize: input.pageSize };
  }),

  cancel: publicProcedure.input(importIdInput).mutation(async ({ ctx, input }) => {
    const before = await existingImport(ctx, input.id);
    const cancelled = await markCancelled(ctx.db, input.id);
    if (cancelled) return toImportJson(cancelled);
    if (before.status === "review") throw new Refusal("conflict", `Import ${input.id} is in review; discard it instead (imports.discard).`);
    throw new Refusal("conflict", `Import ${input.id} is already ${before.status}; only an uploading, queued or running import can be cancelled.`);
  }),

  /** What applying it would change: counts against the catalog as it is now, and warnings. */
  review: publicProcedure.input(importIdInput).query(async ({ ctx, input }) => toReviewJson(await reviewImport(ctx.db, input.id))),

  /** Its changes field by field, paged: each product as it is and as the import would leave it. */
  changes: publicProcedure.input(importChangesInput).query(({ ctx, input }) => listChanges(ctx.db, input)),

  /** SKUs the file names more than once (the last row of each is the one applied). */
  repeated: publicProcedure.input(importErrorsInput).query(async ({ ctx, input }) => {
    const row = await existingImport(ctx, input.id);
    const listed = await listRepeatedSkus(ctx.db, input.id, input.page, input.pageSize);
    if (!listed) {
      if (row.repeated_count === 0 && row.status !== "review") return { items: [], total: 0, page: input.page, pageSize: input.pageSize };
      throw new Refusal("conflict", `Import ${input.id}'s repeated SKUs are no longer kept (they go with its staged rows).`);
    }
    return { ...listed, page: input.page, pageSize: input.pageSize };
  }),

  /** Queues a held import; with `reviewedCatalogVersion`, only if the catalog is still the one its review counted against. */
  apply: publicProcedure.input(importApplyInput).mutation(async ({ ctx, input }) =>
    toImportJson(
      await applyReviewed(ctx, input.id, {
        confirmLargeSync: input.confirmLargeSync ?? false,
        reviewedCatalogVersion: input.reviewedCatalogVersion,
      }),
    ),
  ),

  discard: publicProcedure.input(importIdInput).mutation(async ({ ctx, input }) => toImportJson(await discardReviewed(ctx.db, input.id))),

  /** Undoes a completed import; `partial` leaves the products changed since as they are instead of refusing. */
  revert: publicProcedure.input(importRevertInput).mutation(async ({ ctx, input }) => {
    const { row, summary } = await revertImport(ctx, input.id, { partial: input.partial ?? false });
    return {
      import: toImportJson(row),
      restored: summary.restored,
      removed: summary.removed,
      kept: summary.kept,
      keptExamples: summary.keptExamples,
    };
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
};
