import { describe, expect, it } from "vitest";
import { clientKey } from "./login-throttle.js";

describe("wrong passwords", () => {
  it("count against an IPv4 address, or an IPv6 client's whole /64", () => {
    expect(clientKey("2001:db8:1:2:aaaa::1")).toBe(clientKey("2001:db8:1:2:bbbb:cccc:dddd:9"));
    expect(clientKey("2001:db8:1:3::1")).not.toBe(clientKey("2001:db8:1:2::1"));
    expect(clientKey("::ffff:192.0.2.7")).toBe("192.0.2.7");
    expect(clientKey("192.0.2.7")).not.toBe(clientKey("192.0.2.8"));
  });
});
