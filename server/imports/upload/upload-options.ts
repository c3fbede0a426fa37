import { Refusal } from "../../refusal.js";
import { uploadOptions, type UploadOptionName, type UploadOptions } from "../import.schema.js";

/** The upload's options, each checked (import.schema.ts); the first problem is a 400 naming its option, before anything is stored. */
export function parseUploadOptions(given: Partial<Record<UploadOptionName, unknown>>): UploadOptions {
  const parsed = uploadOptions.safeParse(given);
  if (parsed.success) return parsed.data;
  const [problem] = parsed.error.issues;
  throw new Refusal("invalid", problem!.message, { field: String(problem!.path[0]) });
}
