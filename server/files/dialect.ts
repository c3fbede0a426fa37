import { analyse } from "chardet";
import iconv from "iconv-lite";
import { DELIMITER_LABELS, DELIMITERS, ENCODING_LABELS, type Delimiter, type Encoding, type LineEnding, type Quote } from "./dialect.schema.js";

/**
 * How a CSV file is written, decided from its first bytes (or given by the person uploading it):
 * the encoding, the delimiter, the quote and the line endings. Everything here is a pure function
 * of a sample, so the browser's preview (imports.inspect) and the upload decide alike.
 */

export interface Dialect {
  encoding: Encoding;
  /** How the encoding was decided: a byte-order mark, the bytes themselves, or the person uploading. */
  encodingFrom: "bom" | "content" | "chosen";
  delimiter: Delimiter;
  quote: Quote;
  lineEnding: LineEnding;
}

export interface DialectChoice {
  encoding?: Encoding | "auto";
  delimiter?: Delimiter | "auto";
}

const BOMS: { bytes: number[]; encoding: Encoding }[] = [
  { bytes: [0xef, 0xbb, 0xbf], encoding: "utf-8" },
  { bytes: [0xff, 0xfe], encoding: "utf-16le" },
  { bytes: [0xfe, 0xff], encoding: "utf-16be" },
];

function bomOf(sample: Uint8Array): Encoding | null {
  return BOMS.find(({ bytes }) => bytes.every((byte, i) => sample[i] === byte))?.encoding ?? null;
}

/** UTF-16 without a byte-order mark: ASCII text leaves a NUL in every other byte. */
function utf16ByNuls(sample: Uint8Array): Encoding | null {
  const length = Math.min(sample.length, 4096) & ~1;
  if (length < 8) return null;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < length; i += 2) {
    if (sample[i] === 0) even += 1;
    if (sample[i + 1] === 0) odd += 1;
  }
  const pairs = length / 2;
  if (odd / pairs > 0.6 && even / pairs < 0.1) return "utf-16le";
  if (even / pairs > 0.6 && odd / pairs < 0.1) return "utf-16be";
  return null;
}

/** Valid UTF-8, allowing a character cut by the end of the sample unless the sample is the whole file. */
function isUtf8(sample: Uint8Array, wholeFile: boolean): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(sample, { stream: !wholeFile });
    return true;
  } catch {
    return false;
  }
}

/** Languages written in Windows-1252 (Western European); chardet names them on its guesses. */
const WESTERN = new Set(["en", "fr", "de", "es", "it", "pt", "nl", "da", "sv", "no", "fi", undefined]);

/**
 * Not UTF-8: Windows-1252 when it reads as a Western European text (what Excel writes in those
 * locales, and a superset of ISO-8859-1). Anything else (Cyrillic, CJK, Central European code
 * pages) would be silently mangled by Windows-1252, so it is read as UTF-8 instead: its bytes that
 * are not UTF-8 become U+FFFD and those rows are rejected with the reason, line by line.
 */
function singleByteEncoding(sample: Uint8Array): Encoding {
  const [best] = analyse(sample);
  if (!best) return "windows-1252";
  const western = /^(windows-1252|ISO-8859-1|ISO-8859-15)$/i.test(best.name) && WESTERN.has(best.lang);
  const unsure = best.confidence < 30 && !/^(windows-125[013-9]|ISO-8859-[2-9]|KOI8|Shift_JIS|EUC|GB|Big5)/i.test(best.name);
  return western || unsure ? "windows-1252" : "utf-8";
}

export function detectEncoding(sample: Uint8Array, wholeFile: boolean): { encoding: Encoding; from: "bom" | "content" } {
  const bom = bomOf(sample);
  if (bom) return { encoding: bom, from: "bom" };
  const utf16 = utf16ByNuls(sample);
  if (utf16) return { encoding: utf16, from: "content" };
  if (isUtf8(sample, wholeFile)) return { encoding: "utf-8", from: "content" };
  return { encoding: singleByteEncoding(sample), from: "content" };
}

/** The sample as text in `encoding`, without a byte-order mark. */
export function decodeSample(sample: Uint8Array, encoding: Encoding): string {
  return iconv.decode(Buffer.from(sample.buffer, sample.byteOffset, sample.byteLength), encoding);
}

/**
 * The first lines of a text, split the way a CSV parser would (line breaks inside quotes belong
 * to the field), at most `max` of them, the last one dropped when the sample may have cut it.
 */
function firstRecordsText(text: string, quote: Quote, max: number, wholeFile: boolean): string[] {
  const lines: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length && lines.length < max; i += 1) {
    const char = text[i];
    if (char === quote) quoted = !quoted;
    else if (!quoted && (char === "\n" || char === "\r")) {
      lines.push(text.slice(start, i));
      if (char === "\r" && text[i + 1] === "\n") i += 1;
      start = i + 1;
    }
  }
  if (lines.length < max && wholeFile && start < text.length) lines.push(text.slice(start));
  return lines.filter((line) => line.trim() !== "");
}

/** How often `char` separates fields in `line`, outside quoted parts. */
function countOutsideQuotes(line: string, char: string, quote: Quote): number {
  let count = 0;
  let quoted = false;
  for (const c of line) {
    if (c === quote) quoted = !quoted;
    else if (c === char && !quoted) count += 1;
  }
  return count;
}

/**
 * The delimiter that splits every sampled line into the same number of fields, preferring the
 * one that splits it most (a comma inside a semicolon-separated file's prices must not win), and
 * `,` when nothing splits anything.
 */
export function detectDelimiter(lines: string[], quote: Quote): Delimiter {
  let best: { delimiter: Delimiter; score: number } = { delimiter: ",", score: 0 };
  for (const delimiter of DELIMITERS) {
    const counts = lines.map((line) => countOutsideQuotes(line, delimiter, quote));
    const header = counts[0] ?? 0;
    if (header === 0) continue;
    const consistent = counts.filter((count) => count === header).length / counts.length;
    // Fields per line times how many lines agree: a delimiter in a few descriptions scores low.
    const score = header * consistent * consistent;
    if (score > best.score) best = { delimiter, score };
  }
  return best.delimiter;
}

/** `"` unless fields are plainly wrapped in apostrophes (`'a';'b'`) and never in double quotes. */
function detectQuote(text: string): Quote {
  const wrapped = (quote: string) => (text.match(new RegExp(`(^|[,;\\t|\\n])${quote}|${quote}([,;\\t|\\r\\n]|$)`, "g")) ?? []).length;
  return wrapped("'") > 2 * wrapped('"') + 4 ? "'" : '"';
}

function detectLineEnding(text: string): LineEnding {
  const crlf = text.indexOf("\r\n");
  const lf = text.indexOf("\n");
  const cr = text.indexOf("\r");
  if (crlf !== -1 && crlf === cr) return "CRLF";
  if (cr !== -1 && (lf === -1 || cr < lf)) return "CR";
  return "LF";
}

/**
 * The dialect of a CSV file from its first bytes. `wholeFile` says the sample is all of it (so a
 * character or line cut at its end is not an artefact of sampling).
 */
export function detectDialect(sample: Uint8Array, choice: DialectChoice = {}, wholeFile = false): Dialect {
  const chosenEncoding = choice.encoding && choice.encoding !== "auto" ? choice.encoding : null;
  const detected = chosenEncoding ? { encoding: chosenEncoding, from: "chosen" as const } : detectEncoding(sample, wholeFile);
  const text = decodeSample(sample, detected.encoding);
  const quote = detectQuote(text);
  const lines = firstRecordsText(text, quote, 50, wholeFile);
  const delimiter = choice.delimiter && choice.delimiter !== "auto" ? choice.delimiter : detectDelimiter(lines, quote);
  return { encoding: detected.encoding, encodingFrom: detected.from, delimiter, quote, lineEnding: detectLineEnding(text) };
}

/** "read as Windows-1252, semicolon-separated": what the import page says it did. */
export function describeDialect(dialect: Pick<Dialect, "encoding" | "delimiter">): string {
  return `${ENCODING_LABELS[dialect.encoding]}, ${DELIMITER_LABELS[dialect.delimiter]}-separated`;
}
