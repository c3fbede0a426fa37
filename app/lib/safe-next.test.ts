import { describe, expect, it } from "vitest";
import { safeNextPath } from "./safe-next";

describe("the path to go to after logging in", () => {
  it.each([
    "//evil.example/",
    "/\t/evil.example",
    "/\\evil.example",
    "https://evil.example/",
    "/.//evil.example",
    "/a/..//evil.example",
    "/./\\evil.example",
    "",
    null,
    "products",
  ])("is this site's home for %j", (next) => {
    expect(safeNextPath(next)).toBe("/");
  });

  it.each([
    ["/imports?page=2", "/imports?page=2"],
    ["/products?name=cap#top", "/products?name=cap#top"],
    ["/a/../products", "/products"],
    ["/%2F%2Fevil.example", "/%2F%2Fevil.example"],
  ])("keeps %j as the path of this site it is (%j)", (next, expected) => {
    expect(safeNextPath(next)).toBe(expected);
  });
});
