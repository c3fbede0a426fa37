import { Refusal } from "../refusal.js";

/** A file that cannot be imported at all; `line` names where it breaks, when one does. */
export const unusableFile = (message: string, line: number | null = null) => new Refusal("invalid", line ? `Line ${line}: ${message}` : message);

/** A header holding NUL bytes or undecodable bytes is a binary file, not a table of text. */
export function assertTextHeader(header: string[]): void {
  const text = header.join("");
  if (text.includes("\0") || text.includes("\uFFFD")) {
    throw unusableFile("This is not a CSV text file (it contains binary data). Save it as CSV, UTF-8, or as an .xlsx workbook.");
  }
}
