/**
 * Cells a spreadsheet would run as a formula when the file is opened (OWASP, "CSV Injection"):
 * they are written with an apostrophe in front, which spreadsheets show as text and hide. An
 * apostrophe at the start is itself marked the same way, so reading the file back can take exactly
 * one apostrophe off and get every value back unchanged, whatever it began with.
 */
const FORMULA_STARTS = ["=", "+", "-", "@", "\t", "\r"] as const;
export const MARK = "'";
/** First characters that get the mark: a formula's, and the mark itself. */
export const MARKED_FIRST = new Set<string>([...FORMULA_STARTS, MARK]);

/** The cell as written to a CSV file people open in spreadsheets. */
export function spreadsheetSafe(value: string): string {
  return value !== "" && MARKED_FIRST.has(value[0]!) ? `${MARK}${value}` : value;
}

/** The value a cell written by `spreadsheetSafe` (or a spreadsheet's own apostrophe) stands for. */
export function withoutFormulaMark(cell: string): string {
  return cell.length > 1 && cell.charCodeAt(0) === 39 && MARKED_FIRST.has(cell[1]!) ? cell.slice(1) : cell;
}
