import { lookup } from "node:dns/promises";
import type { LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";

/**
 * Addresses the server calls because a user typed them (webhook targets, feed sources) must be
 * public: without this guard a URL could make the server call its own admin ports, the cloud
 * metadata service or the office LAN.
 */
export class TargetRefused extends Error {}

/** Who calls out, for the refusal's words: what may only reach public addresses, and the setting that allows more. */
export interface CallerRule {
  what: string;
  setting: string;
}

export const WEBHOOK_RULE: CallerRule = { what: "webhooks may only call", setting: "WEBHOOK_ALLOW_PRIVATE_NETWORKS" };

/** Why an address may not be called, or null for a public unicast address. No connection is made. */
export function forbiddenAddressReason(address: string): string | null {
  if (!ipaddr.isValid(address)) return "is not an IP address";
  let parsed = ipaddr.parse(address);
  // ::ffff:10.0.0.1 and friends are IPv4 addresses in disguise.
  if (parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  const range = parsed.range();
  if (parsed.kind() === "ipv6" && range === "unicast") return ipv6OutsideGlobalUnicast(parsed as ipaddr.IPv6);
  if (range === "unicast") return null;
  const names: Record<string, string> = {
    loopback: "a loopback address",
    private: "a private network address",
    linkLocal: "a link-local address (this includes cloud metadata services)",
    uniqueLocal: "a unique-local (private IPv6) address",
    carrierGradeNat: "a shared (carrier-grade NAT) address, where some clouds keep their metadata service",
    unspecified: "the unspecified address",
    multicast: "a multicast address",
    broadcast: "the broadcast address",
    reserved: "a reserved address",
  };
  return names[range] ?? `a special-purpose address (${range})`;
}

/**
 * ipaddr.js calls every IPv6 address it has no name for "unicast", but only 2000::/3 is routed on
 * the internet. The rest is reserved, and ::/96 (IPv4-compatible, deprecated) still reaches the
 * IPv4 address in its last 32 bits on some stacks: `::7f00:1` is 127.0.0.1.
 */
function ipv6OutsideGlobalUnicast(address: ipaddr.IPv6): string | null {
  const parts = address.parts;
  if (parts.slice(0, 6).every((part) => part === 0)) {
    const v4 = ipaddr.fromByteArray(address.toByteArray().slice(12)).toString();
    return `an IPv4-compatible IPv6 address (deprecated; it stands for ${v4})`;
  }
  return address.match(ipaddr.IPv6.parse("2000::"), 3) ? null : "a reserved IPv6 address (outside the global unicast range 2000::/3)";
}

/**
 * Resolves a host and returns its addresses when every one is public, else throws TargetRefused.
 * Checking every address (not just the first) keeps a name with one public and one private
 * record from slipping through.
 */
export async function publicAddressesOf(hostname: string, rule: CallerRule = WEBHOOK_RULE): Promise<{ address: string; family: number }[]> {
  const host = hostname.replace(/^\[(.*)\]$/, "$1");
  let addresses: { address: string; family: number }[];
  try {
    addresses = ipaddr.isValid(host)
      ? [{ address: host, family: ipaddr.parse(host).kind() === "ipv6" ? 6 : 4 }]
      : await lookup(host, { all: true, verbatim: true });
  } catch (error) {
    throw new TargetRefused(`DNS lookup of ${host} failed (${(error as { code?: string }).code ?? (error as Error).message})`);
  }
  for (const { address } of addresses) {
    const reason = forbiddenAddressReason(address);
    if (reason) {
      throw new TargetRefused(`${host} resolves to ${address}, ${reason}; ${rule.what} public addresses (set ${rule.setting}=1 to allow it)`);
    }
  }
  return addresses;
}

/**
 * A socket `lookup` that answers with the address already checked, whatever name it is asked:
 * the connection goes where the guard looked, and DNS cannot change in between.
 */
export function lookupPinnedTo(checked: { address: string; family: number }): LookupFunction {
  return (_hostname, options, callback) => {
    // With `all`, Node expects the list of addresses in the callback's second argument.
    if ((options as { all?: boolean }).all) (callback as unknown as (error: null, addresses: (typeof checked)[]) => void)(null, [checked]);
    else callback(null, checked.address, checked.family);
  };
}
