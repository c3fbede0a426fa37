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
export const ENCODING_ALIASES: Record<string, Encoding> = {
  utf8: "utf-8",
  cp1252: "windows-1252",
  win1252: "windows-1252",
  latin1: "windows-1252",
  "iso-8859-1": "windows-1252",
};
export const DELIMITER_NAMES: Record<string, Delimiter> = { comma: ",", semicolon: ";", tab: "\t", "\\t": "\t", pipe: "|" };

export const isEncoding = (value: string): value is Encoding => (ENCODINGS as readonly string[]).includes(value);
export const isDelimiter = (value: string): value is Delimiter => (DELIMITERS as readonly string[]).includes(value);
