import type { AcceptedRow } from "../rows/validate-row.js";

const COPY_SPECIAL = /[\\\t\n\r]/;
/** A value in COPY's text format: backslash, tab and line breaks escaped. */
function copyText(value: string): string {
  if (!COPY_SPECIAL.test(value)) return value;
  return value.replace(/[\\\t\n\r]/g, (char) => (char === "\\" ? "\\\\" : char === "\t" ? "\\t" : char === "\n" ? "\\n" : "\\r"));
}

/** One row in COPY's text format. */
export function copyLine(row: AcceptedRow): string {
  const active = row.active === null ? "\\N" : row.active ? "t" : "f";
  return `${row.line}\t${copyText(row.sku)}\t${copyText(row.name)}\t${copyText(row.description)}\t${active}\n`;
}
