import { describe, expect, it } from "vitest";
import { MAX_COLUMNS } from "../files/file-limits.js";
import { resolveColumns } from "./resolve-columns.js";

/** The widest header a file may have: every one that gets as far as matching resolves. */
const WIDTH = MAX_COLUMNS;

/** A header `WIDTH` columns wide: `named` at their positions (negative from the end), filler elsewhere. */
function wideHeader(named: Record<number, string>): string[] {
  const header = Array.from({ length: WIDTH }, (_, i) => `Attribute ${i + 1}`);
  for (const [at, name] of Object.entries(named)) header[(Number(at) + WIDTH) % WIDTH] = name;
  return header;
}

describe("a header 16,384 columns wide", () => {
  it("finds sku and name at its far end by name, past synonyms and look-alikes earlier on", () => {
    const header = wideHeader({ 3: "Item Code", 4: "Article Number", 5: "SKU (old)", 6: "Names", [-2]: " SKU ", [-1]: "Name" });
    const columns = resolveColumns(header, {}, undefined);
    expect(columns).toMatchObject({ source: "names", mapping: { sku: " SKU ", name: "Name" }, profile: null });
    expect(columns.index).toEqual({ sku: WIDTH - 2, name: WIDTH - 1, description: null, active: null });
  });

  it("takes a chosen mapping's columns wherever they are, and refuses one whose column is named twice", () => {
    const header = wideHeader({ 7: "Code", [-1]: "Label" });
    expect(resolveColumns(header, { mapping: { sku: "Code", name: "Label" } }, undefined).index).toMatchObject({ sku: 7, name: WIDTH - 1 });

    const twice = wideHeader({ 7: "Code", 9_000: "label_", [-1]: "Label" });
    expect(() => resolveColumns(twice, { mapping: { sku: "Code", name: "Label" } }, undefined)).toThrow('The header names the column "label" twice.');
  });

  it("recognises a platform export whose columns come last, with its product groups", () => {
    const header = wideHeader({ [-5]: "Handle", [-4]: "Title", [-3]: "Body (HTML)", [-2]: "Variant SKU", [-1]: "Status" });
    const columns = resolveColumns(header, {}, undefined);
    expect(columns.profile?.id).toBe("shopify");
    expect(columns.index).toEqual({ sku: WIDTH - 2, name: WIDTH - 4, description: WIDTH - 3, active: WIDTH - 1 });
    expect(columns.groupBy).toBe(WIDTH - 5);
    expect([columns.columnOf("handle"), columns.columnOf("Attribute 12"), columns.columnOf("store_view_code")]).toEqual([WIDTH - 5, 11, null]);
  });
});
