import { describe, expect, it } from "vitest";
import { matchHeaderNames } from "./header-matching.js";
import { detectProfile } from "./profiles.js";
import { resolveColumns, suggestMapping } from "./resolve-columns.js";

describe("header names", () => {
  it("match forgivingly: case, spaces, punctuation and common synonyms", () => {
    expect(matchHeaderNames([" SKU ", "Product Name", "Long_Description", "Is Active?"]).mapping).toEqual({
      sku: " SKU ",
      name: "Product Name",
      description: "Long_Description",
      active: "Is Active?",
    });
    expect(matchHeaderNames(["Item Code", "Title"]).mapping).toEqual({ sku: "Item Code", name: "Title" });
    expect(matchHeaderNames(["Article Number", "Bezeichnung", "Beschreibung", "Aktiv"]).mapping).toEqual({
      sku: "Article Number",
      name: "Bezeichnung",
      description: "Beschreibung",
      active: "Aktiv",
    });
  });

  it("prefer a column named exactly like the field, and leave a field two synonyms could be", () => {
    expect(matchHeaderNames(["Title", "name", "sku"]).mapping).toMatchObject({ name: "name" });
    expect(matchHeaderNames(["Item Code", "Article Number", "name"])).toEqual({ mapping: { name: "name" }, ambiguous: ["sku"] });
  });

  it("never guess from a word that could mean something else", () => {
    expect(matchHeaderNames(["code", "id", "status", "visibility", "model"]).mapping).toEqual({});
  });
});

describe("built-in profiles", () => {
  it.each([
    [
      "shopify",
      ["Handle", "Title", "Body (HTML)", "Vendor", "Variant SKU", "Status"],
      { sku: "Variant SKU", name: "Title", description: "Body (HTML)", active: "Status" },
    ],
    [
      "shopify",
      ["Title", "URL handle", "Description", "Published on online store", "Status", "SKU"],
      { sku: "SKU", name: "Title", description: "Description", active: "Status" },
    ],
    [
      "woocommerce",
      ["ID", "Type", "SKU", "Name", "Published", "Is featured?", "Description"],
      { sku: "SKU", name: "Name", description: "Description", active: "Published" },
    ],
    [
      "magento",
      ["sku", "store_view_code", "attribute_set_code", "product_type", "name", "description", "product_online"],
      { sku: "sku", name: "name", description: "description", active: "product_online" },
    ],
    [
      "bigcommerce",
      ["Item", "ID", "Name", "Type", "SKU", "Options", "Description", "Is Visible"],
      { sku: "SKU", name: "Name", description: "Description", active: "Is Visible" },
    ],
    [
      "bigcommerce",
      ["Item Type", "Product ID", "Product Name", "Product Code/SKU", "Product Description", "Product Visible?"],
      { sku: "Product Code/SKU", name: "Product Name", description: "Product Description", active: "Product Visible?" },
    ],
  ])("recognise a %s export and map it", (profile, header, mapping) => {
    expect(detectProfile(header)?.profile.id).toBe(profile);
    expect(suggestMapping(header, undefined)).toMatchObject({ source: "profile", mapping, missing: [] });
  });

  it("read each platform's active values", () => {
    const shopify = resolveColumns(["Handle", "Title", "Body (HTML)", "Variant SKU", "Status"], {}, undefined);
    expect(["Active", "draft", "archived", "unlisted", "", "maybe"].map(shopify.readActive)).toEqual([true, false, false, true, null, undefined]);
    const woo = resolveColumns(["ID", "Type", "SKU", "Name", "Published"], {}, undefined);
    expect(["1", "0", "-1", "2", ""].map(woo.readActive)).toEqual([true, false, false, false, null]);
    const magento = resolveColumns(["sku", "store_view_code", "attribute_set_code", "product_type", "name", "product_online"], {}, undefined);
    expect(["1", "2"].map(magento.readActive)).toEqual([true, false]);
    const plain = resolveColumns(["sku", "name", "active"], {}, undefined);
    expect(["yes", "Inactive", "", "y"].map(plain.readActive)).toEqual([true, false, undefined, undefined]);
  });
});

describe("a mapping", () => {
  const header = ["Code", "Label", "Text", "Online"];
  const refusal = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      return error as { message: string; extra?: { suggestedMapping?: unknown } };
    }
    throw new Error("not refused");
  };

  it("the upload chose is used, with messages naming the columns", () => {
    const columns = resolveColumns(header, { mapping: { sku: "Code", name: "Label", description: "Text" } }, undefined);
    expect(columns.index).toEqual({ sku: 0, name: 1, description: 2, active: null });
    expect(columns.labels.sku).toBe('sku ("Code")');
  });

  it("is refused when it names a missing column, puts two fields on one column, or leaves sku or name without one", () => {
    expect(refusal(() => resolveColumns(header, { mapping: { sku: "Code", name: "Title" } }, undefined)).message).toBe(
      'mapping: name names the column "Title", which the file does not have (its columns: "Code", "Label", "Text", "Online").',
    );
    expect(refusal(() => resolveColumns(header, { mapping: { sku: "Code", name: "Code" } }, undefined)).message).toBe(
      'mapping: sku and name both name the column "Code"; each field needs a column of its own.',
    );
    expect(refusal(() => resolveColumns(header, { mapping: { sku: "Code" } }, undefined)).message).toMatch(/^mapping: name has no column/);
    const unmatched = refusal(() => resolveColumns(header, {}, undefined));
    expect(unmatched.message).toMatch(/^The header must name the columns sku and name; sku and name are missing/);
    expect(unmatched.extra?.suggestedMapping).toEqual({ active: "Online" });
  });

  it("saved for the same header comes before a profile or the names", () => {
    expect(suggestMapping(header, { mapping: { sku: "Code", name: "Label" }, profile: null })).toMatchObject({
      source: "saved",
      mapping: { sku: "Code", name: "Label" },
    });
  });
});
