import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forbiddenAddressReason } from "../../server/webhooks/address-guard.js";
import { startReceiver, type Receiver } from "../support/receiver.js";
import { startTestApp, type TestApp } from "../support/test-app.js";

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

describe("with private networks not allowed (the default)", () => {
  let app: TestApp;
  let target: Receiver;
  beforeAll(async () => {
    app = await startTestApp({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: "0" });
    target = await startReceiver();
  });
  afterAll(async () => {
    await target?.close();
    await app?.stop();
  });

  it("refuses to save a loopback target, by address or by name", async () => {
    for (const url of [target.url, `http://localhost:${target.port}/hooks`, `http://[::1]:${target.port}/hooks`]) {
      const { body } = await app.trpcRaw("webhooks.create", { url, events: ["product.created"] }, "POST");
      expect(body.error.data.code).toBe("BAD_REQUEST");
      expect(body.error.message).toMatch(/^url: .* a loopback address; webhooks may only call public addresses/);
    }
    expect(await app.trpcQuery("webhooks.list", {})).toEqual([]);
  });

  it("checks again at delivery time and sends nothing to an address that became private", async () => {
    // As if the name resolved publicly when saved and to loopback now: stored without the check.
    const { rows } = await app.database.pool.query<{ id: string }>(
      "INSERT INTO webhooks (url, events, secret) VALUES ($1, ARRAY['product.created'], 'whsec_dGVzdHRlc3R0ZXN0dGVzdHRlc3R0ZXN0') RETURNING id",
      [target.url],
    );
    await app.trpcMutation("products.create", { sku: "ssrf-1", name: "Guarded" });
    await expect.poll(async () => (await app.trpcQuery("webhooks.deliveries", { id: rows[0]!.id })).items.length, { timeout: 10_000 }).toBeGreaterThan(0);
    const [attempt] = (await app.trpcQuery("webhooks.deliveries", { id: rows[0]!.id })).items;
    expect(attempt).toMatchObject({ statusCode: null, error: expect.stringMatching(/127\.0\.0\.1, a loopback address/) });
    expect(await app.trpcMutation("webhooks.test", { id: rows[0]!.id })).toMatchObject({ ok: false, error: expect.stringMatching(/loopback/) });
    expect(target.received).toHaveLength(0);
  });
});
