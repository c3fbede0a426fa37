import { parseDelimiterChoice, parseEncodingChoice } from "../files/dialect.js";
import type { FileChoice } from "../files/open-file.js";
import { parseMappingChoice, type MappingChoice } from "../mappings/resolve-columns.js";
import { Refusal } from "../refusal.js";

/** The options an upload may carry (CONTRACT.md): multipart fields before the `file` part, or query parameters. */
export const UPLOAD_OPTIONS = ["delimiter", "encoding", "mapping", "profile", "sheet"] as const;
export type UploadOptionName = (typeof UPLOAD_OPTIONS)[number];

export interface UploadOptions {
  reading: FileChoice;
  mapping: MappingChoice;
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
  };
}
