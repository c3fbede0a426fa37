import { z } from "zod";

/** The encodings and delimiters the importer reads, and their names for people (shared with the pages). */
export const ENCODINGS = ["utf-8", "utf-16le", "utf-16be", "windows-1252"] as const;
export type Encoding = (typeof ENCODINGS)[number];
export const DELIMITERS = [",", ";", "\t", "|"] as const;
export type Delimiter = (typeof DELIMITERS)[number];
export type Quote = '"' | "'";
export type LineEnding = "CRLF" | "LF" | "CR";

export const ENCODING_LABELS: Record<Encoding, string> = {
  "utf-8": "UTF-8",
  "utf-16le": "UTF-16 (little-endian)",
  "utf-16be": "UTF-16 (big-endian)",
  "windows-1252": "Windows-1252",
};
export const DELIMITER_LABELS: Record<Delimiter, string> = { ",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe" };

/** The first bytes read to decide a file's dialect; the browser sends at most this much to imports.inspect. */
export const SAMPLE_BYTES = 64 * 1024;

/** What people call the encodings besides their names: Excel's "ANSI" is Windows-1252 under many names. */
const ENCODING_ALIASES: Record<string, Encoding> = {
  utf8: "utf-8",
  cp1252: "windows-1252",
  win1252: "windows-1252",
  latin1: "windows-1252",
  "iso-8859-1": "windows-1252",
};
const DELIMITER_NAMES: Record<string, Delimiter> = { comma: ",", semicolon: ";", tab: "\t", "\\t": "\t", pipe: "|" };

const isEncoding = (value: string): value is Encoding => (ENCODINGS as readonly string[]).includes(value);
const isDelimiter = (value: string): value is Delimiter => (DELIMITERS as readonly string[]).includes(value);

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
