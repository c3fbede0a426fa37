import {
  EMPTY_DESCRIPTION_RULES,
  IMPORT_MODES,
  SYNC_ACTIONS,
  type EmptyDescriptionRule,
  type ImportMode,
  type SyncAction,
} from "../../../db/schema.js";
import { parseDelimiterChoice, parseEncodingChoice } from "../../files/dialect.js";
import type { FileChoice } from "../../files/open-file.js";
import { parseMappingChoice, type MappingChoice } from "../../mappings/resolve-columns.js";
import { Refusal } from "../../refusal.js";

/** The options an upload may carry (CONTRACT.md): multipart fields before the `file` part, or query parameters. */
export const UPLOAD_OPTIONS = [
  "delimiter",
  "encoding",
  "mapping",
  "profile",
  "sheet",
  "review",
  "mode",
  "syncAction",
  "emptyDescription",
  "confirmLargeSync",
] as const;
export type UploadOptionName = (typeof UPLOAD_OPTIONS)[number];

/** How the staged rows are to be applied, and whether someone looks first (CONTRACT.md's review, mode, syncAction, emptyDescription). */
export interface ApplyChoice {
  review: boolean;
  mode: ImportMode;
  syncAction: SyncAction;
  emptyDescription: EmptyDescriptionRule;
  /** The uploader agrees in advance that a sync may remove more than a fifth of the catalog. */
  confirmLargeSync: boolean;
}

export const DEFAULT_APPLY_CHOICE: ApplyChoice = {
  review: false,
  mode: "upsert",
  syncAction: "deactivate",
  emptyDescription: "clear",
  confirmLargeSync: false,
};

export interface UploadOptions {
  reading: FileChoice;
  mapping: MappingChoice;
  applying: ApplyChoice;
}

const TRUE = ["1", "true", "yes", "on"];
const FALSE = ["0", "false", "no", "off", ""];

function parseFlag(name: UploadOptionName, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  const given = value.trim().toLowerCase();
  if (TRUE.includes(given)) return true;
  if (FALSE.includes(given)) return false;
  throw new Refusal("invalid", `${name} must be 1 or 0 (true or false), not "${value.slice(0, 40)}".`, { field: name });
}

function parseOneOf<T extends string>(name: UploadOptionName, value: string | undefined, allowed: readonly T[], fallback: T): T {
  const given = value?.trim();
  if (!given) return fallback;
  if ((allowed as readonly string[]).includes(given)) return given as T;
  throw new Refusal("invalid", `${name} must be one of ${allowed.join(", ")}, not "${given.slice(0, 40)}".`, { field: name });
}

/** How the upload's rows are to be applied: a review first or not, mode, sync action, empty descriptions, a large sync confirmed. */
export function parseApplyChoice(text: Partial<Record<UploadOptionName, string>>): ApplyChoice {
  return {
    review: parseFlag("review", text.review, DEFAULT_APPLY_CHOICE.review),
    mode: parseOneOf("mode", text.mode, IMPORT_MODES, DEFAULT_APPLY_CHOICE.mode),
    syncAction: parseOneOf("syncAction", text.syncAction, SYNC_ACTIONS, DEFAULT_APPLY_CHOICE.syncAction),
    emptyDescription: parseOneOf("emptyDescription", text.emptyDescription, EMPTY_DESCRIPTION_RULES, DEFAULT_APPLY_CHOICE.emptyDescription),
    confirmLargeSync: parseFlag("confirmLargeSync", text.confirmLargeSync, DEFAULT_APPLY_CHOICE.confirmLargeSync),
  };
}

/** The upload's options, each checked; a bad one is a 400 naming it, before anything is stored. */
export function parseUploadOptions(given: Partial<Record<UploadOptionName, unknown>>): UploadOptions {
  for (const name of UPLOAD_OPTIONS) {
    if (given[name] !== undefined && typeof given[name] !== "string")
      throw new Refusal("invalid", `${name} must be given once, as text.`, { field: name });
  }
  const text = given as Partial<Record<UploadOptionName, string>>;
  const sheet = text.sheet?.trim() || undefined;
  if (sheet && sheet.length > 255)
    throw new Refusal("invalid", "sheet must be a sheet's name or number (at most 255 characters).", { field: "sheet" });
  return {
    reading: { encoding: parseEncodingChoice(text.encoding), delimiter: parseDelimiterChoice(text.delimiter), sheet },
    mapping: parseMappingChoice({ mapping: text.mapping, profile: text.profile }),
    applying: parseApplyChoice(text),
  };
}
