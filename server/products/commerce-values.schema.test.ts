import { describe, expect, it } from "vitest";
import {
  readCommerceValue,
  DecimalSeparator,
  readBarcode,
  readCategory,
  readInteger,
  readMoney,
  readNumber,
  readTags,
  readWeight,
  type Read,
} from "./commerce-values.schema.js";

/** A fresh separator per value: what a file's first number is read with. */
const auto = () => DecimalSeparator.of("auto");
const value = <T>(read: Read<T>): T => {
  if ("problem" in read) throw new Error(`expected a value, got the problem "${read.problem}"`);
  return read.value;
};
const problem = <T>(read: Read<T>): string => {
  if ("value" in read) throw new Error(`expected a problem, got the value ${JSON.stringify(read.value)}`);
  return read.problem;
};

describe("a price", () => {
  it.each([
    ["12.50", "12.50"],
    ["12,50", "12.50"],
    ["1.234,56", "1234.56"],
    ["1,234.56", "1234.56"],
    ["1 234,56 €", "1234.56"],
    ["1\u00a0234,56\u00a0€", "1234.56"],
    ["1'234.50", "1234.50"],
    ["$12.5", "12.50"],
    ["EUR 12.50", "12.50"],
    ["12.50 USD", "12.50"],
    ["€12", "12.00"],
    ["  7 ", "7.00"],
    ["007.5", "7.50"],
    ["0", "0.00"],
    ["-0", "0.00"],
    ["12.3450", "12.345"],
    ["1,234,567.8", "1234567.80"],
    ["999999999999.9999", "999999999999.9999"],
  ])("%j is read as %s, whichever separator the file turns out to use", (raw, expected) => {
    expect(value(readMoney(raw, auto()))).toBe(expected);
  });

  it("keeps the separator the file's first telling value showed: after 12,50 a point is a thousands mark", () => {
    const separator = auto();
    expect(value(readMoney("12,50", separator))).toBe("12.50");
    expect(separator.decided).toBe(",");
    expect(value(readMoney("1.234", separator))).toBe("1234.00");
    expect(value(readMoney("1.234.567,8", separator))).toBe("1234567.80");
    expect(problem(readMoney("12.50", separator))).toBe("is not a number (this file writes decimals with a comma)");
  });

  it("reads 1,234 with a point until a value shows the separator, then keeps that one", () => {
    const separator = auto();
    expect(value(readMoney("1,234", separator))).toBe("1234.00");
    expect(separator.decided).toBeNull();
    expect(value(readMoney("9.99", separator))).toBe("9.99");
    expect(separator.decided).toBe(".");
    expect(problem(readMoney("9,99", separator))).toBe("is not a number");
  });

  it("is not decided by a value that is no number at all: a typo in one row does not change how the next ones read", () => {
    const separator = auto();
    expect(problem(readMoney("12.50.3", separator))).toMatch(/^is not a number/);
    expect(separator.decided).toBeNull();
    expect(value(readMoney("9.99", separator))).toBe("9.99");
  });

  it("is read with the separator chosen for the file, whatever the value looks like", () => {
    expect(value(readMoney("1.234", DecimalSeparator.of(",")))).toBe("1234.00");
    expect(value(readMoney("1,234", DecimalSeparator.of(",")))).toBe("1.234");
    expect(value(readMoney("1,234", DecimalSeparator.of(".")))).toBe("1234.00");
    expect(value(readMoney("12,50", DecimalSeparator.of(",")))).toBe("12.50");
    expect(problem(readMoney("12,50", DecimalSeparator.of(".")))).toBe("is not a number");
  });

  it.each([
    ["abc", "is not a number"],
    ["12,34,5", "is not a number"],
    ["1e3", "is written in scientific notation; write the number out"],
    ["1.5E+3", "is written in scientific notation; write the number out"],
    ["1.23456", "has more than 4 decimals"],
    ["1000000000000", "is too large (at most 999,999,999,999.9999)"],
    ["-5", "is negative; a price is 0 or more"],
    ["-0.01", "is negative; a price is 0 or more"],
    ["12 50 apples", "is not a number"],
  ])("%j is refused: %s", (raw, expected) => {
    expect(problem(readMoney(raw, auto()))).toBe(expected);
  });
});

describe("a stock level", () => {
  it.each([
    ["12", 12],
    ["-3", -3],
    ["1,200", 1200],
    ["12.0", 12],
    ["12,00", 12],
    ["0", 0],
    ["2147483647", 2_147_483_647],
    ["-2147483648", -2_147_483_648],
  ])("%j is %d", (raw, expected) => {
    expect(value(readInteger(raw, auto()))).toBe(expected);
  });

  it("reads 1.200 as 1200 in a file that writes decimals with a comma, and as 1.2 (not whole) until one is shown", () => {
    expect(value(readInteger("1.200", DecimalSeparator.of(",")))).toBe(1200);
    expect(problem(readInteger("1.200", auto()))).toBe("is not a whole number");
  });

  it.each([
    ["12.5", "is not a whole number"],
    ["n/a", "is not a number"],
    ["", "is not a number"],
    ["1e3", "is written in scientific notation; write the number out"],
    ["2147483648", "is out of range (-2147483648 to 2147483647)"],
  ])("%j is refused: %s", (raw, expected) => {
    expect(problem(readInteger(raw, auto()))).toBe(expected);
  });
});

describe("a weight", () => {
  it.each([
    ["250", "g", "250"],
    ["0.25", "kg", "250"],
    ["1,5", "kg", "1500"],
    ["1", "lb", "453.592"],
    ["2.5", "lb", "1133.981"],
    ["1", "oz", "28.35"],
    ["16", "oz", "453.592"],
    ["12.3456", "g", "12.346"],
    ["0", "kg", "0"],
  ] as const)("%j %s is %s grams, exactly", (raw, unit, grams) => {
    expect(value(readWeight(raw, auto(), unit))).toBe(grams);
  });

  it("is in grams when its header names no unit", () => {
    expect(value(readWeight("340", auto()))).toBe("340");
  });

  it.each([
    ["-1", "kg", "is negative; a weight is 0 or more"],
    ["heavy", "kg", "is not a number"],
    ["2E3", "g", "is written in scientific notation; write the number out"],
    ["1000000000", "kg", "is too large (at most 999,999,999,999.9999)"],
  ] as const)("%j %s is refused: %s", (raw, unit, expected) => {
    expect(problem(readWeight(raw, auto(), unit))).toBe(expected);
  });
});

describe("tags", () => {
  it("are split on commas and trimmed; repeats by case are dropped, keeping the first spelling and the order", () => {
    expect(value(readTags(" summer, Cotton,, cotton ,SUMMER , new arrival,Cotton"))).toEqual(["summer", "Cotton", "new arrival"]);
    expect(value(readTags(["B", "a", "b", " A "]))).toEqual(["B", "a"]);
    expect(value(readTags(" , "))).toEqual([]);
  });

  it("allow at most 250 tags of at most 255 characters each, counting after repeats are dropped", () => {
    const many = (count: number) => Array.from({ length: count }, (_, n) => `tag-${n}`);
    expect(value(readTags(many(250).join(",")))).toHaveLength(250);
    expect(value(readTags([...many(250), "TAG-0"]))).toHaveLength(250);
    expect(problem(readTags(many(251).join(",")))).toBe("has 251 tags; the limit is 250");
    expect(value(readTags(["x".repeat(255)]))).toEqual(["x".repeat(255)]);
    expect(problem(readTags(`ok,${"x".repeat(256)}`))).toBe("has a tag 256 characters long; the limit is 255");
  });

  it("given as a list, may not hold a comma (it would come back as two tags)", () => {
    expect(problem(readTags(["fine", "red, blue"]))).toBe('has the tag "red, blue" with a comma; a tag cannot hold one');
  });
});

describe("a category path", () => {
  it("has its segments trimmed and joined by ' > '", () => {
    expect(value(readCategory("Apparel>Shirts", 1000))).toBe("Apparel > Shirts");
    expect(value(readCategory("  Apparel >  Shirts >  Tees > ", 1000))).toBe("Apparel > Shirts > Tees");
    expect(value(readCategory("Bags", 1000))).toBe("Bags");
  });

  it("written the Magento way: '/' between segments, the root category left out unless it is all there is", () => {
    const magento = { separator: "/", roots: ["Default Category"] };
    expect(value(readCategory("Default Category/Gear/Bags", 1000, magento))).toBe("Gear > Bags");
    expect(value(readCategory("Default Category/Gear", 1000, magento))).toBe("Gear");
    expect(value(readCategory("Default Category", 1000, magento))).toBe("Default Category");
    expect(value(readCategory("Gear/Default Category", 1000, magento))).toBe("Gear > Default Category");
  });

  it("is at most 1,000 characters", () => {
    expect(problem(readCategory(`${"a".repeat(500)}>${"b".repeat(500)}`, 1000))).toBe("is 1003 characters long; the limit is 1000");
  });

  it("of a WooCommerce cell with several paths is the first one", () => {
    const woo = { categories: { list: ",", path: ">" } };
    expect(value(readCommerceValue("category", "Clothing > Shirts, Sale", auto(), woo))).toBe("Clothing > Shirts");
    expect(value(readCommerceValue("category", "Clothing>Shirts>Tees,Clothing", auto(), woo))).toBe("Clothing > Shirts > Tees");
    expect(value(readCommerceValue("category", " , Sale", auto(), woo))).toBe("Sale");
  });

  it("of a Magento cell with several paths is the first one, without its root", () => {
    const magento = { categories: { list: ",", path: "/", roots: ["Default Category"] } };
    expect(value(readCommerceValue("category", "Default Category/Gear,Default Category/Gear/Bags", auto(), magento))).toBe("Gear");
  });
});

describe("a barcode", () => {
  it("is kept as written, leading zeros included", () => {
    expect(value(readBarcode(" 0012345678905 ", 64))).toBe("0012345678905");
    expect(value(readCommerceValue("barcode", "4006381333931", auto()))).toBe("4006381333931");
  });

  it("turned into scientific notation by a spreadsheet is refused: its digits are lost", () => {
    expect(problem(readCommerceValue("barcode", "4.00638E+12", auto()))).toMatch(/scientific notation/);
    expect(problem(readBarcode("4,00638E+12", 64))).toMatch(/scientific notation/);
  });

  it("is at most 64 characters", () => {
    expect(problem(readCommerceValue("barcode", "1".repeat(65), auto()))).toBe("is 65 characters long; the limit is 64");
  });
});

describe("each field read by the rule the importer and the API share", () => {
  it("takes its kind from the field, and a weight's unit from the reading", () => {
    const decimal = auto();
    expect(value(readCommerceValue("price", "12,50", decimal))).toBe("12.50");
    expect(value(readCommerceValue("compareAtPrice", "1.234", decimal))).toBe("1234.00");
    expect(value(readCommerceValue("stock", "-3", decimal))).toBe(-3);
    expect(value(readCommerceValue("weightGrams", "1", auto(), { weightUnit: "lb" }))).toBe("453.592");
    expect(value(readCommerceValue("brand", "  Acme  ", decimal))).toBe("Acme");
    expect(value(readCommerceValue("category", "A>B", decimal))).toBe("A > B");
    expect(value(readCommerceValue("tags", "a, b, A", decimal))).toEqual(["a", "b"]);
    expect(problem(readCommerceValue("brand", "b".repeat(256), decimal))).toBe("is 256 characters long; the limit is 255");
  });
});

describe("a cell already written as stored", () => {
  // A leading space keeps a value off the quick path (the general one trims it): both must agree.
  const viaGeneralPath = (raw: string) => ` ${raw}`;
  const cells = [
    "0",
    "7",
    "-7",
    "12",
    "-0",
    "007",
    "19.99",
    "0.00",
    "0.5",
    "10.50",
    "2.685",
    "-2.5",
    "1.2345",
    "1.23456",
    "999999999999",
    "1000000000000",
    "2147483647",
    "2147483648",
    "123456789",
    "-123456789",
    "1,234",
    "12,50",
    "1.234",
    "abc",
    "",
  ];
  it.each(["." as const, "," as const, "auto" as const])("reads alike by either path in a file whose separator is %s", (choice) => {
    for (const raw of cells) {
      const both = (read: (text: string, separator: DecimalSeparator) => unknown) => [
        read(raw, DecimalSeparator.of(choice)),
        read(viaGeneralPath(raw), DecimalSeparator.of(choice)),
      ];
      for (const reader of [readMoney, readNumber, readInteger, readWeight]) {
        const [quick, general] = both(reader);
        expect(quick, `${reader.name}("${raw}")`).toEqual(general);
      }
    }
  });
});
