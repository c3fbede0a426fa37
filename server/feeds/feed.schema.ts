import { z } from "zod";
import { FEED_RUN_STATUSES } from "../../db/schema.js";
import { DEFAULT_GUARD, GUARD_KEYS, GUARD_LIMITS, type GuardLimit } from "../imports/import-guard.schema.js";
import { idSchema } from "../ids.schema.js";
import { pageInput } from "../paging.schema.js";
import { storableText } from "../text-input.schema.js";

export { FEED_RUN_STATUSES };

/** The schemes a feed's source may use. */
export const FEED_SCHEMES = ["http:", "https:", "sftp:"] as const;

/** The presets a schedule may name instead of a cron expression, and what they stand for (UTC). */
export const SCHEDULE_PRESETS: Record<string, string> = { "@hourly": "0 * * * *", "@daily": "0 0 * * *", "@weekly": "0 0 * * 0" };

/** A feed's guard is the limits its import's merge must stay within (server/imports/import-guard.schema.ts). */
export { DEFAULT_GUARD, GUARD_KEYS, GUARD_LIMITS, type GuardLimit };

/** A header name as HTTP allows it (a token). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/;
export const MAX_HEADERS = 20;

const percent = (key: GuardLimit) =>
  z
    .number({ message: `guard.${key} must be a number of percent` })
    .min(0, `guard.${key} must be between 0 and 100`)
    .max(100, `guard.${key} must be between 0 and 100`);

const optionText = (max: number) => z.string().max(max);

/** The import options an upload takes, as a feed keeps them; what each means is the upload's to check (feeds.ts). */
export const feedOptionsInput = z
  .strictObject(
    {
      mapping: z.union([z.string().max(10_000), z.record(z.string().max(300), z.string().max(1_000).nullable())]).optional(),
      profile: optionText(40).optional(),
      mode: optionText(40).optional(),
      syncAction: optionText(40).optional(),
      emptyCells: optionText(40).optional(),
      emptyDescription: optionText(40).optional(),
      delimiter: optionText(20).optional(),
      encoding: optionText(40).optional(),
      sheet: optionText(255).optional(),
      decimalSeparator: optionText(10).optional(),
      imageBaseUrl: optionText(1_024).optional(),
    },
    { error: (issue) => (issue.code === "unrecognized_keys" ? `options: ${issue.keys.join(", ")} is not an import option` : undefined) },
  )
  .default({});

export const feedGuardInput = z
  .strictObject(Object.fromEntries(GUARD_KEYS.map((key) => [key, percent(key).optional()])) as Record<GuardLimit, z.ZodOptional<z.ZodNumber>>, {
    error: (issue) =>
      issue.code === "unrecognized_keys" ? `guard: ${issue.keys.join(", ")} is not a limit; the limits are ${GUARD_KEYS.join(", ")}` : undefined,
  })
  .default({});

const headersInput = z
  .record(
    z.string().regex(HEADER_NAME, "headers: a header name may hold letters, digits and - only"),
    storableText("A header's value").pipe(z.string().max(4_096, "headers: a value must be at most 4,096 characters")),
  )
  .refine((headers) => Object.keys(headers).length <= MAX_HEADERS, `headers: at most ${MAX_HEADERS}`);

const feedFields = {
  name: storableText("Name").trim().min(1, "Name is required").max(120, "Name must be at most 120 characters"),
  url: storableText("URL").trim().min(1, "URL is required").max(2_000, "URL must be at most 2,000 characters"),
  headers: headersInput.optional(),
  username: storableText("User").trim().max(255, "User must be at most 255 characters").nullable().optional(),
  password: z.string().max(1_024, "Password must be at most 1,024 characters").nullable().optional(),
  privateKey: z.string().max(16_384, "Private key must be at most 16 KB").nullable().optional(),
  schedule: storableText("Schedule").trim().min(1, "Schedule is required").max(100, "Schedule must be at most 100 characters"),
  options: feedOptionsInput,
  guard: feedGuardInput,
  enabled: z.boolean().default(true),
};

/** Shared by the tRPC procedures, the feed form and the tests. */
export const feedCreateInput = z.object(feedFields);
export type FeedCreateInput = z.output<typeof feedCreateInput>;

/** Fields left out stay as they are; `headers` replaces every header; a null password or key removes it. */
export const feedUpdateInput = z.object({
  id: idSchema,
  name: feedFields.name.optional(),
  url: feedFields.url.optional(),
  headers: feedFields.headers,
  username: feedFields.username,
  password: feedFields.password,
  privateKey: feedFields.privateKey,
  schedule: feedFields.schedule.optional(),
  options: feedOptionsInput.unwrap().optional(),
  guard: feedGuardInput.unwrap().optional(),
  enabled: z.boolean().optional(),
});
export type FeedUpdateInput = z.output<typeof feedUpdateInput>;

export const feedIdInput = z.object({ id: idSchema });
export const feedRunsInput = feedIdInput.extend(pageInput.shape);

/** The feed form's "Read the columns": the source as typed (a saved feed's stored secrets fill in what is left blank). */
export const feedInspectInput = z.object({
  id: idSchema.optional(),
  url: feedFields.url,
  headers: feedFields.headers,
  username: feedFields.username,
  password: feedFields.password,
  privateKey: feedFields.privateKey,
  options: feedOptionsInput,
});
export type FeedInspectInput = z.output<typeof feedInspectInput>;
