import { describe, expect, it } from "vitest";
import { linesSpanned } from "../../files/csv-records.js";
import { resolveColumns } from "../../mappings/resolve-columns.js";
import { RowReader } from "./row-reader.js";

/** A row of a file in today's shape: `sku,name,description,active`. */
const read = (fields: string[], line: number) =>
  new RowReader(resolveColumns(["sku", "name", "description", "active"], {}, undefined)).read(fields, line);

describe("a row of the file", () => {
  it("is accepted with its SKU trimmed and normalised, its name trimmed, its description as it is", () => {
    expect(read(["  Cafe\u0301-1 ", " Cup ", "  spaced  ", "YES"], 7)).toEqual({
      accepted: { line: 7, sku: "Café-1", name: "Cup", description: "  spaced  ", active: true },
    });
  });

  it.each([
    [["", "Cup", "", "yes"], "sku is empty", "sku"],
    [["cup-1", " ", "", "yes"], "name is empty", "name"],
    [["cup-1", "Cup", "", "maybe"], 'active must be true/false, yes/no, 1/0 or active/inactive (found "maybe")', "active"],
    [["cup-1", "Cup", ""], "expected 4 fields but found 3", undefined],
    [["cup-1", "Cu\0p", "", "yes"], "name contains a NUL byte", "name"],
    [["cup-1", "Cup", "bad \uFFFD byte", "yes"], "description is not valid UTF-8 text (save the file as UTF-8)", "description"],
    [["s".repeat(256), "Cup", "", "yes"], "sku is 256 characters long; the limit is 255", "sku"],
  ])("%j is rejected: %s (the field at fault: %s)", (fields, message, field) => {
    expect(read(fields, 3)).toEqual({ rejected: field ? { line: 3, message, fields, field } : { line: 3, message, fields } });
  });

  it("counts characters as code points: 255 emoji make a SKU of 255 characters", () => {
    expect("accepted" in read(["😀".repeat(255), "Cup", "", "1"], 2)).toBe(true);
  });

  it("takes one formula mark off each text cell", () => {
    expect(read(["'=SKU", "'@name", "''quoted", "0"], 2)).toEqual({
      accepted: { line: 2, sku: "=SKU", name: "@name", description: "'quoted", active: false },
    });
  });
});

describe("the physical lines a record spans", () => {
  it("are one plus each line break inside its fields, CRLF counted once", () => {
    expect(linesSpanned(["a", "b"])).toBe(1);
    expect(linesSpanned(["a\nb", "c\r\nd\re"])).toBe(4);
  });
});
