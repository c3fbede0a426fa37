import { Refusal } from "../refusal.js";
import { MAX_COLUMNS } from "./file-limits.js";

/** A file that cannot be imported at all; `line` names where it breaks, when one does. */
export const unusableFile = (message: string, line: number | null = null) => new Refusal("invalid", line ? `Line ${line}: ${message}` : message);

/**
 * A header the importer can work with: text (one holding NUL bytes or undecodable bytes is a
 * binary file), and no wider than a spreadsheet can be, checked before any column is matched.
 */
export function assertUsableHeader(header: string[]): void {
  if (header.length > MAX_COLUMNS) {
    throw unusableFile(
      `The header has ${header.length.toLocaleString("en-US")} columns; a file may have at most ${MAX_COLUMNS.toLocaleString("en-US")} (as many as Excel). Is the delimiter right?`,
    );
  }
  const text = header.join("");
  if (text.includes("\0") || text.includes("\uFFFD")) {
    throw unusableFile("This is not a CSV text file (it contains binary data). Save it as CSV, UTF-8, or as an .xlsx workbook.");
  }
}
