import { initTRPC, TRPCError } from "@trpc/server";
import type { Kysely } from "kysely";
import type pg from "pg";
import type { Database } from "../../db/schema.js";
import type { Logger } from "../logger.js";
import { Refusal, REFUSALS, SERVER_FAULT_MESSAGE } from "../refusal.js";
import { refusalText } from "./refusal-text.js";
import type { Caller } from "../auth/caller.js";

/**
 * What a capability's procedures need beyond the database (a queue, its settings). Each capability
 * declares its own ports beside its router (`declare module "../trpc/trpc.js"`), so this file names
 * none of them and no capability's types point back here; the composition root, which builds the
 * one ApiContext, has to supply them all.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by declaration merging
export interface ApiPorts {}

/** What every procedure can reach. Built once per process and shared by HTTP and Remix loaders. */
export interface ApiContext extends ApiPorts {
  db: Kysely<Database>;
  pool: pg.Pool;
  log: Logger;
  /** Who this request is from (set per request by the HTTP edge; pages act for the signed-in person). */
  caller: Caller;
}

const t = initTRPC.context<ApiContext>().create({
  // Error answers carry the message, never a stack trace.
  isDev: false,
  errorFormatter({ shape, error }) {
    // A server fault's own message (a Postgres error, say) is for the log, not for the caller.
    if (error.code === "INTERNAL_SERVER_ERROR") return { ...shape, message: SERVER_FAULT_MESSAGE };
    const cause = error.cause;
    const field = cause instanceof Refusal ? cause.field : undefined;
    const data = field ? { ...shape.data, field } : shape.data;
    return { ...shape, data, message: refusalText(error) };
  },
});

/** Domain refusals become the tRPC codes CONTRACT.md names, with their message (and field) intact. */
const refusalsAsTrpcErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof Refusal) {
    const refusal = result.error.cause;
    throw new TRPCError({ code: REFUSALS[refusal.kind].trpc, message: refusal.message, cause: refusal });
  }
  return result;
});

/** A `read` token may call queries (and the plain routes' downloads and streams), never a mutation. */
const tokenScope = t.middleware(({ ctx, type, next }) => {
  if (type === "mutation" && ctx.caller.kind === "token" && ctx.caller.scope === "read") {
    throw new TRPCError({ code: "FORBIDDEN", message: "This API token may only read: mutations need a token with the write scope." });
  }
  return next();
});

export const router = t.router;
export const publicProcedure = t.procedure.use(refusalsAsTrpcErrors).use(tokenScope);

/** For what only a person may do (managing API tokens): a token, whatever its scope, is refused. */
export const personProcedure = publicProcedure.use(({ ctx, next }) => {
  if (ctx.caller.kind === "token") {
    throw new TRPCError({
      code: "FORBIDDEN",
      message: "API tokens cannot manage API tokens: sign in, or send Authorization: Bearer <APP_PASSWORD>.",
    });
  }
  return next();
});
export const createCallerFactory = t.createCallerFactory;
