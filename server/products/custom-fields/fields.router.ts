import { publicProcedure, router } from "../../trpc/trpc.js";
import { z } from "zod";
import { countHolding, createField, deleteField, listFields, updateField } from "./custom-fields.js";
import { fieldCreateInput, fieldKeyInput, fieldUpdateInput } from "./custom-field.schema.js";

/** The team's own fields (CONTRACT.md's `fields.*`). */
export const fieldsRouter = router({
  list: publicProcedure.input(z.object({}).passthrough().default({})).query(({ ctx }) => listFields(ctx.db)),
  /** How many products hold a value of the field: what deleting it would clear. */
  usage: publicProcedure.input(fieldKeyInput).query(async ({ ctx, input }) => ({ key: input.key, products: await countHolding(ctx.db, input.key) })),
  create: publicProcedure.input(fieldCreateInput).mutation(({ ctx, input }) => createField(ctx.db, input)),
  update: publicProcedure.input(fieldUpdateInput).mutation(({ ctx, input }) => updateField(ctx.db, input)),
  delete: publicProcedure.input(fieldKeyInput).mutation(({ ctx, input }) => deleteField(ctx.db, input.key)),
});
