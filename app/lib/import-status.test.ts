import { expect, it } from "vitest";
import { describeMapping } from "./import-status";

it("lists every field's column, the ones named like their field too", () => {
  expect(describeMapping({ sku: "SKU", name: "Name", description: "Description", active: "Published" })).toBe(
    'sku ← "SKU", name ← "Name", description ← "Description", active ← "Published"',
  );
  expect(describeMapping({ sku: "sku", name: "name" })).toBe('sku ← "sku", name ← "name"');
  expect(describeMapping({ sku: "Variant SKU", name: "Title", description: null })).toBe('sku ← "Variant SKU", name ← "Title"');
  expect(describeMapping(null)).toBeNull();
});

it("lists them in the product's field order, however the mapping was stored", () => {
  expect(describeMapping({ active: "Published", sku: "SKU", description: "Description", name: "Name" })).toBe(
    'sku ← "SKU", name ← "Name", description ← "Description", active ← "Published"',
  );
});
