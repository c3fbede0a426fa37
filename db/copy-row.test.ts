import { describe, expect, it } from "vitest";
import { copyTable } from "./copy-row.js";

const table = copyTable({
  line: { kind: "integer" },
  sku: { kind: "text" },
  active: { kind: "boolean", nullable: true },
  created_at: { kind: "timestamptz" },
});

describe("a table written with COPY, declared once", () => {
  it("gives its CREATE TABLE columns and its column list in the declared order", () => {
    expect(table.definition).toBe("(line integer NOT NULL, sku text NOT NULL, active boolean, created_at timestamptz NOT NULL)");
    expect(table.columnList).toBe("line, sku, active, created_at");
  });

  it("writes a row as one line of COPY text: escapes, null as \\N, booleans as t and f", () => {
    const createdAt = new Date("2026-12-06T10:00:00Z");
    expect(table.copyLine({ line: 2, sku: "a\tb\\c\nd\re", active: null, created_at: createdAt })).toBe(
      "2\ta\\tb\\\\c\\nd\\re\t\\N\t2026-12-06T10:00:00.000Z\n",
    );
    expect(table.copyLine({ line: 3, sku: "plain", active: false, created_at: createdAt })).toBe("3\tplain\tf\t2026-12-06T10:00:00.000Z\n");
  });
});
