import { describe, expect, it } from "vitest";
import { Refusal } from "../../refusal.js";
import { parseUploadOptions } from "./upload-options.js";

function refusal(given: Record<string, unknown>): Refusal {
  try {
    parseUploadOptions(given);
  } catch (error) {
    if (error instanceof Refusal) return error;
    throw error;
  }
  throw new Error("not refused");
}

describe("an upload's options", () => {
  it("left out, read the file as detected and apply it straight away as an upsert", () => {
    expect(parseUploadOptions({})).toEqual({
      reading: { encoding: "auto", delimiter: "auto", sheet: undefined },
      mapping: { mapping: undefined, profile: undefined, decimalSeparator: "auto" },
      applying: { review: false, mode: "upsert", syncAction: "deactivate", emptyDescription: "clear", emptyCells: "clear", confirmLargeSync: false },
    });
  });

  it("are read as people write them: spaces around, any case for words, a checkbox's on", () => {
    const options = parseUploadOptions({
      encoding: "cp1252",
      delimiter: "semicolon",
      sheet: "  Products ",
      profile: "WooCommerce",
      mapping: '{"sku":"SKU","name":"Name"}',
      review: "on",
      mode: " sync ",
      syncAction: "delete",
      emptyDescription: "keep",
      emptyCells: " keep",
      decimalSeparator: ",",
      confirmLargeSync: "YES",
    });
    expect(options).toEqual({
      reading: { encoding: "windows-1252", delimiter: ";", sheet: "Products" },
      mapping: { mapping: { sku: "SKU", name: "Name" }, profile: "woocommerce", decimalSeparator: "," },
      applying: { review: true, mode: "sync", syncAction: "delete", emptyDescription: "keep", emptyCells: "keep", confirmLargeSync: true },
    });
    expect(parseUploadOptions({ review: "", sheet: "   " })).toMatchObject({ reading: { sheet: undefined }, applying: { review: false } });
  });

  it.each([
    [{ mode: ["upsert", "sync"] }, "mode", "mode must be given once, as text."],
    [{ sheet: { x: "1" } }, "sheet", "sheet must be given once, as text."],
    [{ review: " maybe " }, "review", 'review must be 1 or 0 (true or false), not " maybe ".'],
    [{ mode: "Upsert" }, "mode", 'mode must be one of upsert, create-only, update-only, sync, not "Upsert".'],
    [{ syncAction: "archive" }, "syncAction", 'syncAction must be one of deactivate, delete, not "archive".'],
    [{ emptyDescription: " erase " }, "emptyDescription", 'emptyDescription must be one of clear, keep, not "erase".'],
    [{ sheet: "x".repeat(256) }, "sheet", "sheet must be a sheet's name or number (at most 255 characters)."],
    [{ encoding: "ebcdic" }, "encoding", 'encoding "ebcdic" is not one this importer reads; use auto, utf-8, utf-16le, utf-16be, windows-1252.'],
    [{ profile: "etsy" }, "profile", 'profile "etsy" is not one this importer knows; use shopify, woocommerce, magento, bigcommerce.'],
  ])("%j is a 400 on its option: %s", (given, field, message) => {
    const refused = refusal(given);
    expect(refused).toMatchObject({ kind: "invalid", field, message });
  });

  it("with several problems name the first: a repeated option before any value, then in the order the upload reads them", () => {
    expect(refusal({ mode: "bogus", encoding: ["utf-8", "utf-8"] }).field).toBe("encoding");
    expect(refusal({ mode: "bogus", encoding: "bogus", sheet: "x".repeat(256) }).field).toBe("sheet");
    expect(refusal({ confirmLargeSync: "perhaps", mapping: "[1]", delimiter: ":" }).field).toBe("delimiter");
  });

  it("a value is echoed at most 40 characters long", () => {
    expect(refusal({ mode: `sync${"!".repeat(100)}` }).message).toBe(
      `mode must be one of upsert, create-only, update-only, sync, not "sync${"!".repeat(36)}".`,
    );
  });
});
