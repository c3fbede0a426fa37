import { describe, expect, it } from "vitest";
import { PROFILE_IDS } from "./mapping.schema.js";
import { detectProfile, PROFILES } from "./profiles.js";

describe("the platforms", () => {
  it("each have a profile under their id, tried in the order they are named", () => {
    expect(Object.keys(PROFILES)).toEqual(PROFILE_IDS);
    for (const id of PROFILE_IDS) expect(PROFILES[id].id).toBe(id);
    expect(detectProfile(["Handle", "Title", "Body (HTML)", "Variant SKU"])?.profile.id).toBe("shopify");
  });
});
