import { describe, expect, it } from "vitest";
import { linesSpanned, validateRow } from "./csv-row.js";

const columns = { sku: 0, name: 1, description: 2, active: 3, width: 4 };

describe("a row of the file", () => {
  it("is accepted with its SKU trimmed and normalised, its name trimmed, its description as it is", () => {
    expect(validateRow(["  Cafe\u0301-1 ", " Cup ", "  spaced  ", "YES"], columns, 7)).toEqual({
      accepted: { line: 7, sku: "Café-1", name: "Cup", description: "  spaced  ", active: true },
    });
  });

  it.each([
    [["", "Cup", "", "yes"], "sku is empty"],
    [["cup-1", " ", "", "yes"], "name is empty"],
    [["cup-1", "Cup", "", "maybe"], 'active must be true/false, yes/no, 1/0 or active/inactive (found "maybe")'],
    [["cup-1", "Cup", ""], "expected 4 fields but found 3"],
    [["cup-1", "Cu\0p", "", "yes"], "name contains a NUL byte"],
    [["cup-1", "Cup", "bad \uFFFD byte", "yes"], "description is not valid UTF-8 text (save the file as UTF-8)"],
    [["s".repeat(256), "Cup", "", "yes"], "sku is 256 characters long; the limit is 255"],
  ])("%j is rejected: %s", (fields, message) => {
    expect(validateRow(fields, columns, 3)).toEqual({ rejected: { line: 3, message, fields } });
  });

  it("counts characters as code points: 255 emoji make a SKU of 255 characters", () => {
    expect("accepted" in validateRow(["😀".repeat(255), "Cup", "", "1"], columns, 2)).toBe(true);
  });

  it("takes one formula mark off each text cell", () => {
    expect(validateRow(["'=SKU", "'@name", "''quoted", "0"], columns, 2)).toEqual({
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
