import { z } from "zod";
import { idSchema } from "../ids.schema.js";
import { personProcedure, router } from "../trpc/trpc.js";
import { apiTokenCreateInput } from "./api-token.schema.js";
import { apiTokens, createApiToken, revokeToken } from "./api-tokens.js";

export const apiTokensRouter = router({
  create: personProcedure.input(apiTokenCreateInput).mutation(({ ctx, input }) => createApiToken(ctx.db, input)),
  list: personProcedure.input(z.object({}).passthrough().default({})).query(({ ctx }) => apiTokens(ctx.db)),
  revoke: personProcedure.input(z.object({ id: idSchema })).mutation(({ ctx, input }) => revokeToken(ctx.db, input.id)),
});
