import { describe, expect, it } from "vitest";
import { delimiterChoice, encodingChoice, mappingChoice, profileChoice } from "./upload-choices.schema.js";

const problem = (result: { success: boolean; error?: { issues: { message: string }[] } }) => result.error?.issues[0]?.message;

describe("an upload's encoding and delimiter, as sent", () => {
  it("take names, aliases and auto, and default to auto", () => {
    expect(encodingChoice.parse(" Latin1 ")).toBe("windows-1252");
    expect(encodingChoice.parse("UTF-16LE")).toBe("utf-16le");
    expect(encodingChoice.parse(undefined)).toBe("auto");
    expect(delimiterChoice.parse("Tab")).toBe("\t");
    expect(delimiterChoice.parse("\\t")).toBe("\t");
    expect(delimiterChoice.parse(";")).toBe(";");
    expect(delimiterChoice.parse(undefined)).toBe("auto");
  });

  it("refuse what the importer does not read, naming the value as sent", () => {
    expect(problem(encodingChoice.safeParse("EBCDIC "))).toBe(
      'encoding "EBCDIC " is not one this importer reads; use auto, utf-8, utf-16le, utf-16be, windows-1252.',
    );
    expect(problem(encodingChoice.safeParse(""))).toMatch(/^encoding "" is not one/);
    expect(problem(delimiterChoice.safeParse(":"))).toBe('delimiter ":" is not one of , ; tab | (or auto).');
    // Only the names are case-free: "AUTO" is not auto, and an empty delimiter is none of them.
    expect(problem(delimiterChoice.safeParse("AUTO"))).toMatch(/^delimiter "AUTO" is not one of/);
    expect(problem(delimiterChoice.safeParse(""))).toMatch(/^delimiter "" is not one of/);
  });
});

describe("an upload's mapping and profile, as sent", () => {
  it("read a mapping's JSON and a profile in any case; blank is no choice", () => {
    expect(mappingChoice.parse('{"sku":"Code","name":"Label","description":null,"active":""}')).toEqual({ sku: "Code", name: "Label" });
    expect(mappingChoice.parse("")).toBeUndefined();
    expect(profileChoice.parse(" Shopify ")).toBe("shopify");
    expect(profileChoice.parse("")).toBeUndefined();
  });

  it("refuse a mapping that is not fields to columns, and a platform it does not know", () => {
    const notAMapping = 'mapping must be a JSON object from a field to a column of the file, e.g. {"sku":"Variant SKU","name":"Title"}.';
    expect(problem(mappingChoice.safeParse("{not json"))).toBe(notAMapping);
    expect(problem(mappingChoice.safeParse("[1]"))).toBe(notAMapping);
    expect(problem(mappingChoice.safeParse('{"cost":"Code"}'))).toBe(
      'mapping: "cost" is not a field; the fields are sku, name, description, active, price, compareAtPrice, stock, barcode, weightGrams, brand, category, tags, group, images, option1Name, option1Value, option2Name, option2Value, option3Name, option3Value and attributes.<key> for a field of your own.',
    );
    expect(problem(mappingChoice.safeParse('{"sku":1}'))).toBe("mapping: sku must name a column of the file, as text.");
    expect(problem(profileChoice.safeParse("etsy"))).toBe(
      'profile "etsy" is not one this importer knows; use shopify, woocommerce, magento, bigcommerce.',
    );
  });
});
