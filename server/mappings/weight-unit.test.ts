import { describe, expect, it } from "vitest";
import { weightUnitOf } from "./weight-unit.js";

describe("a weight column's unit, from its header", () => {
  it.each([
    ["Weight (kg)", "kg"],
    ["Weight (lbs)", "lb"],
    ["Weight (oz)", "oz"],
    ["Weight (g)", "g"],
    ["Variant Grams", "g"],
    ["Weight value (grams)", "g"],
    ["weight_grams", "g"],
    ["Gewicht in kg", "kg"],
    ["poids_kg", "kg"],
    ["weight", "g"],
  ] as const)("%s is in %s", (header, unit) => {
    expect(weightUnitOf(header)).toBe(unit);
  });
});
