import { z } from "zod";
import { DECIMAL_SEPARATORS, EMPTY_CELL_RULES, EMPTY_DESCRIPTION_RULES, IMPORT_MODES, SYNC_ACTIONS } from "../../db/schema.js";
import { SAMPLE_BYTES } from "../files/dialect.schema.js";
import { idSchema } from "../ids.schema.js";
import { pageInput } from "../paging.schema.js";
import { storableText } from "../text-input.schema.js";
import { delimiterChoice, encodingChoice, imageBaseUrlChoice, mappingChoice, profileChoice } from "./upload-choices.schema.js";

/** The apply choices an upload offers, for forms and the API alike. */
export { DECIMAL_SEPARATORS, EMPTY_CELL_RULES, EMPTY_DESCRIPTION_RULES, IMPORT_MODES, SYNC_ACTIONS };

/** The changes a review lists, in this order: what changes existing products first. */
export const CHANGE_KINDS = ["update", "create", "remove"] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

export const importIdInput = z.object({ id: idSchema });
export const importErrorsInput = importIdInput.extend(pageInput.shape);
export const importChangesInput = importIdInput.extend({ kind: z.enum(CHANGE_KINDS).optional(), ...pageInput.shape });
export const importApplyInput = importIdInput.extend({
  confirmLargeSync: z.boolean().optional(),
  /** The review's `catalogVersion` the caller looked at: given, an apply against a catalog changed since is refused. */
  reviewedCatalogVersion: z
    .string()
    .regex(/^\d{1,20}$/, "must be a catalogVersion from imports.review")
    .optional(),
});
export const importRevertInput = importIdInput.extend({ partial: z.boolean().optional() });

/** How many rejected rows one fixRows call may save, and how long a cell may be. */
export const MAX_FIXED_ROWS = 500;
const cellValue = z.string().max(100_000, "a cell may hold at most 100,000 characters");
const lineNumber = z.number().int("line must be a whole number").min(1, "line must be 1 or more").max(2_147_483_647, "line is too large");

export const rejectedRowsInput = importIdInput.extend({ ...pageInput.shape, message: storableText().pipe(z.string().max(500)).optional() });
export const fixRowsInput = importIdInput.extend({
  rows: z
    .array(
      z.object({
        line: lineNumber,
        cells: z.record(z.string().max(1_000), cellValue),
        /** The row's revision as the caller last saw it: a save over a later one still wins, and says so. */
        revision: z.number().int().min(0).optional(),
      }),
    )
    .min(1, "rows: give at least one row")
    .max(MAX_FIXED_ROWS, `rows: at most ${MAX_FIXED_ROWS} at once`),
});
export const replaceInRejectedInput = importIdInput.extend({
  column: z.string().min(1, "column is required").max(1_000),
  find: storableText("find").pipe(z.string().min(1, "find must not be empty").max(1_000, "find must be at most 1,000 characters")),
  replace: storableText("replace").pipe(z.string().max(10_000, "replace must be at most 10,000 characters")),
  regex: z.boolean().optional(),
  /** Count what it would change and fix, and change nothing. */
  preview: z.boolean().optional(),
});
/** Rows left out by line, or every row still to fix whose problem mentions `message` (the grid's filter). */
export const dropRejectedInput = importIdInput
  .extend({
    lines: z.array(lineNumber).min(1, "lines: give at least one line").max(100_000, "lines: at most 100,000 at once").optional(),
    message: storableText().pipe(z.string().min(1, "message must not be empty").max(500)).optional(),
  })
  .refine((input) => (input.lines === undefined) !== (input.message === undefined), {
    message: "Give either lines or message (the rows whose problem mentions it), not both.",
    path: ["lines"],
  });

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * imports.inspect: the first bytes of a file (base64), and the reading choices an upload can make,
 * bounded as JSON; what they mean is uploadOptions' to say, as for an upload.
 */
export const inspectInput = z.object({
  sample: z
    .string()
    .max(Math.ceil(SAMPLE_BYTES / 3) * 4, `sample: at most ${SAMPLE_BYTES / 1024} KB of the file's beginning, base64-encoded`)
    .regex(BASE64, "sample must be base64"),
  filename: storableText().pipe(z.string().max(255)).optional(),
  /** The sample is the whole file (a workbook can only be inspected whole). */
  wholeFile: z.boolean().optional(),
  ...({
    encoding: z.string().max(40).optional(),
    delimiter: z.string().max(20).optional(),
    mapping: z.union([z.string().max(10_000), z.record(z.string(), z.string().nullable())]).optional(),
    profile: z.string().max(40).optional(),
    sheet: z.string().max(255).optional(),
  } satisfies Partial<Record<UploadOptionName, z.ZodType>>),
});

const TRUE = ["1", "true", "yes", "on"];
const FALSE = ["0", "false", "no", "off", ""];

/** A yes-or-no option, absent meaning no: 1 or 0, true or false, yes or no, on or off (a checkbox's "on"), any case. */
const flag = (name: string) =>
  z
    .string()
    .optional()
    .transform((value, context) => {
      if (value === undefined) return false;
      const given = value.trim().toLowerCase();
      if (TRUE.includes(given)) return true;
      if (FALSE.includes(given)) return false;
      context.addIssue({ code: "custom", message: `${name} must be 1 or 0 (true or false), not "${value.slice(0, 40)}".` });
      return z.NEVER;
    });

/** One of `allowed` as written (surrounding spaces aside); absent or blank is `fallback`. */
const oneOf = <const T extends readonly [string, ...string[]]>(name: string, allowed: T, fallback: T[number]) =>
  z
    .string()
    .optional()
    .transform((value) => value?.trim() || undefined)
    .pipe(
      z
        .enum(allowed, { error: (issue) => `${name} must be one of ${allowed.join(", ")}, not "${String(issue.input).slice(0, 40)}".` })
        .default(fallback),
    );

/**
 * What an upload may say besides its file (CONTRACT.md's upload options), each read from text:
 * multipart fields sent before the file, query parameters, or imports.inspect's reading choices.
 * Listed in the order their problems are reported: the first one refuses the upload.
 */
const uploadOptionValues = z.object({
  /** A workbook's sheet, by name or 1-based number; blank is the first. */
  sheet: z
    .string()
    .optional()
    .transform((value) => value?.trim() || undefined)
    .pipe(z.string().max(255, "sheet must be a sheet's name or number (at most 255 characters).").optional()),
  encoding: encodingChoice,
  delimiter: delimiterChoice,
  profile: profileChoice,
  mapping: mappingChoice,
  /** Staged, it waits in review until someone applies or discards it. */
  review: flag("review"),
  mode: oneOf("mode", IMPORT_MODES, "upsert"),
  syncAction: oneOf("syncAction", SYNC_ACTIONS, "deactivate"),
  emptyDescription: oneOf("emptyDescription", EMPTY_DESCRIPTION_RULES, "clear"),
  /** An empty cell of a typed column clears that field, or keeps what the product has. */
  emptyCells: oneOf("emptyCells", EMPTY_CELL_RULES, "clear"),
  /** How the file writes a decimal point: `.`, `,`, or decided by its values. */
  decimalSeparator: oneOf("decimalSeparator", DECIMAL_SEPARATORS, "auto"),
  /** What relative image paths (a Magento export's) are appended to; blank leaves them out, with a warning. */
  imageBaseUrl: imageBaseUrlChoice,
  /** The uploader agrees in advance that a sync may remove more than a fifth of the catalog. */
  confirmLargeSync: flag("confirmLargeSync"),
});
export type UploadOptionName = keyof typeof uploadOptionValues.shape;
export const UPLOAD_OPTIONS = uploadOptionValues.keyof().options;

/** Text, at most once: a repeated field or parameter arrives as a list, a bracketed one (`mode[x]=`) as an object. */
const sentOnce = (name: UploadOptionName) => z.string({ error: `${name} must be given once, as text.` }).optional();

/** The upload's options as the upload reads them: how to read the file, which columns are which, how it applies. */
export const uploadOptions = z
  .object(Object.fromEntries(UPLOAD_OPTIONS.map((name) => [name, sentOnce(name)])) as Record<UploadOptionName, ReturnType<typeof sentOnce>>)
  .pipe(uploadOptionValues)
  .transform(({ sheet, encoding, delimiter, profile, mapping, decimalSeparator, imageBaseUrl, ...applying }) => ({
    reading: { encoding, delimiter, sheet },
    mapping: { mapping, profile, decimalSeparator, imageBaseUrl },
    applying,
  }));
/** The options as sent: what the upload panel fills in. */
export type UploadOptionsText = z.input<typeof uploadOptions>;
export type UploadOptions = z.output<typeof uploadOptions>;
/** How the staged rows are to be applied, and whether someone looks first. */
export type ApplyChoice = UploadOptions["applying"];
