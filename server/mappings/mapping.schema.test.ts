import { describe, expect, it } from "vitest";
import { mappingChoice, profileChoice, PROFILE_IDS } from "./mapping.schema.js";
import { detectProfile, PROFILES } from "./profiles.js";

const problem = (result: { success: boolean; error?: { issues: { message: string }[] } }) => result.error?.issues[0]?.message;

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
    expect(problem(mappingChoice.safeParse('{"price":"Code"}'))).toBe(
      'mapping: "price" is not a field; the fields are sku, name, description, active.',
    );
    expect(problem(mappingChoice.safeParse('{"sku":1}'))).toBe("mapping: sku must name a column of the file, as text.");
    expect(problem(profileChoice.safeParse("etsy"))).toBe(
      'profile "etsy" is not one this importer knows; use shopify, woocommerce, magento, bigcommerce.',
    );
  });
});

describe("the platforms", () => {
  it("each have a profile under their id, tried in the order they are named", () => {
    expect(Object.keys(PROFILES)).toEqual(PROFILE_IDS);
    for (const id of PROFILE_IDS) expect(PROFILES[id].id).toBe(id);
    expect(detectProfile(["Handle", "Title", "Body (HTML)", "Variant SKU"])?.profile.id).toBe("shopify");
  });
});
