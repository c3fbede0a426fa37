import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { describeDialect, detectDialect } from "./dialect.js";

const utf8 = (text: string) => Buffer.from(text, "utf8");

describe("a file's dialect, from its first bytes", () => {
  it.each([
    ["comma", utf8('sku,name,description\nA,Cap,"Blue, wool"\n'), "UTF-8, comma-separated"],
    ["semicolon, with commas in prices", utf8("sku;name;price\nA;Cap;12,50\nB;Hat;3,00\n"), "UTF-8, semicolon-separated"],
    ["tab", utf8("sku\tname\tdescription\nA\tCap\tBlue, wool\n"), "UTF-8, tab-separated"],
    ["pipe", utf8("sku|name\nA|Cap\n"), "UTF-8, pipe-separated"],
    [
      "Excel in a German locale",
      iconv.encode("sku;name;description\r\nA-1;Größe M;Preis 12,50 €\r\n", "windows-1252"),
      "Windows-1252, semicolon-separated",
    ],
    [
      "Excel in a French locale",
      iconv.encode("sku;name\r\nB-1;Crème brûlée à la française\r\n", "windows-1252"),
      "Windows-1252, semicolon-separated",
    ],
    [
      "UTF-16 with a byte-order mark",
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("sku,name\nä,b\n", "utf16le")]),
      "UTF-16 (little-endian), comma-separated",
    ],
    ["UTF-16 without one", Buffer.from("sku,name\nx,b\n", "utf16le"), "UTF-16 (little-endian), comma-separated"],
    [
      "UTF-16 big-endian",
      Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode("sku;name\nx;y\n", "utf-16be")]),
      "UTF-16 (big-endian), semicolon-separated",
    ],
    ["UTF-8 with a byte-order mark", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8("sku,name\nx,ü\n")]), "UTF-8, comma-separated"],
  ])("reads %s", (_, sample, described) => {
    expect(describeDialect(detectDialect(sample, {}, true))).toBe(described);
  });

  it("reads a Cyrillic code page as UTF-8, so its rows are rejected by line rather than mangled into Latin letters", () => {
    expect(detectDialect(iconv.encode("sku;name\nx;Привет мир\n", "windows-1251"), {}, true).encoding).toBe("utf-8");
  });

  it("does not count a character cut by the end of the sample against UTF-8", () => {
    const cut = utf8("sku,name\nx,Größe").subarray(0, -1);
    expect(detectDialect(cut, {}, false).encoding).toBe("utf-8");
  });

  it("tells the line endings and the quote", () => {
    expect(detectDialect(utf8("sku,name\r\nx,y\r\n"), {}, true).lineEnding).toBe("CRLF");
    expect(detectDialect(utf8("sku;name\r'a';'b'\r'c';'d'\r'e';'f'\r"), {}, true)).toMatchObject({ lineEnding: "CR", quote: "'", delimiter: ";" });
  });

  it("takes what the upload chose over what it would detect", () => {
    expect(detectDialect(utf8("sku;name\nx;y\n"), { delimiter: ",", encoding: "windows-1252" }, true)).toMatchObject({
      delimiter: ",",
      encoding: "windows-1252",
      encodingFrom: "chosen",
    });
  });
});
