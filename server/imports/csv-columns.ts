import { Refusal } from "../refusal.js";

/** Where each known column sits in the file; unknown columns are ignored. */
export interface ColumnMap {
  sku: number;
  name: number;
  description: number | null;
  active: number | null;
  width: number;
}

/** A file that cannot be imported at all; `line` names where it breaks, when one does. */
export const unusableFile = (message: string, line: number | null = null) => new Refusal("invalid", line ? `Line ${line}: ${message}` : message);

const KNOWN = ["sku", "name", "description", "active"] as const;

function looksBinary(text: string): boolean {
  return text.includes("\0") || text.includes("\uFFFD");
}

export function readHeader(fields: string[]): ColumnMap {
  if (looksBinary(fields.join(""))) {
    throw unusableFile("This is not a CSV text file (it contains binary data). Save it as CSV, UTF-8.");
  }
  const names = fields.map((field) => field.trim().toLowerCase());
  const positions = new Map<string, number>();
  names.forEach((name, index) => {
    if (!(KNOWN as readonly string[]).includes(name)) return;
    if (positions.has(name)) throw unusableFile(`The header names the column "${name}" twice.`, 1);
    positions.set(name, index);
  });
  const missing = ["sku", "name"].filter((name) => !positions.has(name));
  if (missing.length) {
    throw unusableFile(
      `The header must name the columns sku and name; ${missing.join(" and ")} ${missing.length > 1 ? "are" : "is"} missing (found: ${names.join(", ") || "nothing"}).`,
      1,
    );
  }
  return {
    sku: positions.get("sku")!,
    name: positions.get("name")!,
    description: positions.get("description") ?? null,
    active: positions.get("active") ?? null,
    width: fields.length,
  };
}
