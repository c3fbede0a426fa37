import { describe, expect, it } from "vitest";
import { spreadsheetSafe, withoutFormulaMark } from "./formula-cells.js";

const TRICKY = ["=1+2", "+1", "-1", "@SUM(A1)", '=HYPERLINK("http://evil.example")', "'plain", "''=x", "'=x", "'", "- bullet"];

describe("formula marks (a function)", () => {
  it("come off exactly as they went on, whatever the value begins with", () => {
    for (const value of [...TRICKY, "\tindented", "\rreturn", "", "plain", "a=b", "'"]) {
      const cell = spreadsheetSafe(value);
      expect(cell, value).not.toMatch(/^[=+\-@\t\r]/);
      expect(withoutFormulaMark(cell), value).toBe(value);
    }
  });
});
