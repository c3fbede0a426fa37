import { z } from "zod";
import { DELIMITER_NAMES, ENCODING_ALIASES, ENCODINGS, isDelimiter, isEncoding, type Delimiter, type Encoding } from "../files/dialect.schema.js";
import {
  isAttributeTarget,
  isProfileId,
  isTargetField,
  PROFILE_IDS,
  TARGET_FIELDS,
  type ColumnMapping,
  type ProfileId,
} from "../mappings/mapping.schema.js";

/*
 * How an upload's reading and mapping options are read from their text. Zod stays here, out of the
 * dialect and mapping facts, because the parse worker imports those facts and a worker that loads
 * zod starts slower and holds more memory (measured: +80 ms and +13 MB per thread).
 */

/** The upload option `encoding`: a name (any case) or an alias; `auto`, the default, detects it from the bytes. */
export const encodingChoice = z
  .string()
  .optional()
  .transform((value, context): Encoding | "auto" => {
    const given = (value ?? "auto").trim().toLowerCase();
    const encoding = ENCODING_ALIASES[given] ?? given;
    if (encoding === "auto" || isEncoding(encoding)) return encoding;
    context.addIssue({ code: "custom", message: `encoding "${value}" is not one this importer reads; use auto, ${ENCODINGS.join(", ")}.` });
    return z.NEVER;
  });

/** The upload option `delimiter`: the character or its name; `auto`, the default, detects it from the lines. */
export const delimiterChoice = z
  .string()
  .optional()
  .transform((value, context): Delimiter | "auto" => {
    const given = value ?? "auto";
    const delimiter = DELIMITER_NAMES[given.toLowerCase()] ?? given;
    if (delimiter === "auto" || isDelimiter(delimiter)) return delimiter;
    context.addIssue({ code: "custom", message: `delimiter ${JSON.stringify(value)} is not one of , ; tab | (or auto).` });
    return z.NEVER;
  });

/** The upload option `profile`: a platform's export, by id in any case; blank lets the header decide. */
export const profileChoice = z
  .string()
  .optional()
  .transform((value, context): ProfileId | undefined => {
    if (value === undefined || value === "") return undefined;
    const profile = value.trim().toLowerCase();
    if (isProfileId(profile)) return profile;
    context.addIssue({ code: "custom", message: `profile "${value}" is not one this importer knows; use ${PROFILE_IDS.join(", ")}.` });
    return z.NEVER;
  });

const NOT_A_MAPPING = 'mapping must be a JSON object from a field to a column of the file, e.g. {"sku":"Variant SKU","name":"Title"}.';

/**
 * The upload option `mapping`: JSON text from a field to a column of the file (an empty column is
 * none). Blank lets the file decide; whether the file has those columns is known only once it is read.
 */
export const mappingChoice = z
  .string()
  .optional()
  .transform((text, context): ColumnMapping | undefined => {
    if (!text) return undefined;
    const refuse = (message: string) => {
      context.addIssue({ code: "custom", message });
      return z.NEVER;
    };
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return refuse(NOT_A_MAPPING);
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) return refuse(NOT_A_MAPPING);
    const mapping: ColumnMapping = {};
    for (const [field, column] of Object.entries(value)) {
      // Whether an `attributes.<key>` names a field that exists is known once the fields are read (resolve-columns.ts).
      if (!isTargetField(field) && !isAttributeTarget(field)) {
        return refuse(`mapping: "${field}" is not a field; the fields are ${TARGET_FIELDS.join(", ")} and attributes.<key> for a field of your own.`);
      }
      if (column === null || column === "") continue;
      if (typeof column !== "string") return refuse(`mapping: ${field} must name a column of the file, as text.`);
      mapping[field] = column;
    }
    return mapping;
  });

/** The upload option `imageBaseUrl`: an http(s) URL relative image paths are appended to; blank is none. */
export const imageBaseUrlChoice = z
  .string()
  .optional()
  .transform((value, context): string | undefined => {
    const given = value?.trim();
    if (!given) return undefined;
    const url = URL.canParse(given) ? new URL(given) : null;
    if (!url || (url.protocol !== "http:" && url.protocol !== "https:") || given.length > 1024) {
      context.addIssue({
        code: "custom",
        message: `imageBaseUrl ${JSON.stringify(given.slice(0, 80))} is not an http or https URL (such as https://shop.example.com/media/catalog/product/).`,
      });
      return z.NEVER;
    }
    return given;
  });
