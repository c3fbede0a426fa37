import { z } from "zod";
import { idSchema } from "../ids.schema.js";
import { Refusal } from "../refusal.js";
import { publicProcedure, router } from "../trpc/trpc.js";
import { deleteMappingRow, listMappings } from "./mappings.table.js";

export const mappingsRouter = router({
  /** The column mappings people confirmed, most recently used first. */
  list: publicProcedure.input(z.object({}).passthrough().default({})).query(async ({ ctx }) =>
    (await listMappings(ctx.db)).map((row) => ({
      id: row.id,
      header: row.header,
      mapping: row.mapping,
      profile: row.profile,
      createdAt: row.created_at.toISOString(),
      lastUsedAt: row.last_used_at.toISOString(),
    })),
  ),
  delete: publicProcedure.input(z.object({ id: idSchema })).mutation(async ({ ctx, input }) => {
    if (!(await deleteMappingRow(ctx.db, input.id))) throw new Refusal("not_found", `There is no saved mapping ${input.id}.`);
    return { id: input.id };
  }),
});
