import { describe, expect, it } from "vitest";
import { forbiddenAddressReason } from "./address-guard.js";

describe("the address classifier (a function: no connection is made)", () => {
  it.each([
    ["127.0.0.1", /loopback/],
    ["127.8.9.10", /loopback/],
    ["::1", /loopback/],
    ["10.0.0.5", /private network/],
    ["172.16.4.4", /private network/],
    ["192.168.1.20", /private network/],
    ["169.254.169.254", /link-local .*metadata/],
    ["fe80::1", /link-local/],
    ["fd00:ec2::254", /unique-local/],
    ["100.100.100.200", /carrier-grade NAT/],
    ["0.0.0.0", /unspecified/],
    ["::", /unspecified/],
    ["::ffff:10.1.2.3", /private network/],
    ["::ffff:127.0.0.1", /loopback/],
    ["224.0.0.1", /multicast/],
    ["255.255.255.255", /broadcast/],
    ["192.0.2.1", /reserved/],
    ["2002:a00:1::1", /special-purpose/],
    ["64:ff9b::a00:1", /special-purpose/],
    ["::7f00:1", /IPv4-compatible .*127\.0\.0\.1/],
    ["::a9fe:a9fe", /IPv4-compatible .*169\.254\.169\.254/],
    ["::a00:1", /IPv4-compatible .*10\.0\.0\.1/],
    ["::1:0:0:0", /reserved IPv6/],
    ["100::1", /reserved|special-purpose/],
  ])("refuses %s", (address, reason) => {
    expect(forbiddenAddressReason(address)).toMatch(reason);
  });

  it.each(["93.184.215.14", "8.8.4.4", "2606:4700:4700::1111", "::ffff:93.184.215.14"])("allows the public address %s", (address) => {
    expect(forbiddenAddressReason(address)).toBeNull();
  });
});
