import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startReceiver, type Receiver } from "../support/receiver.js";
import { startTestApp, type TestApp } from "../support/test-app.js";

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
    expect(await app.api.webhooks.list.query({})).toEqual([]);
  });

  it("checks again at delivery time and sends nothing to an address that became private", async () => {
    // As if the name resolved publicly when saved and to loopback now: stored without the check.
    const { rows } = await app.database.pool.query<{ id: string }>(
      "INSERT INTO webhooks (url, events, secret) VALUES ($1, ARRAY['product.created'], 'whsec_dGVzdHRlc3R0ZXN0dGVzdHRlc3R0ZXN0') RETURNING id",
      [target.url],
    );
    await app.api.products.create.mutate({ sku: "ssrf-1", name: "Guarded" });
    await expect
      .poll(async () => (await app.api.webhooks.deliveries.query({ id: rows[0]!.id })).items.length, { timeout: 10_000 })
      .toBeGreaterThan(0);
    const [attempt] = (await app.api.webhooks.deliveries.query({ id: rows[0]!.id })).items;
    expect(attempt).toMatchObject({ statusCode: null, error: expect.stringMatching(/127\.0\.0\.1, a loopback address/) });
    expect(await app.api.webhooks.test.mutate({ id: rows[0]!.id })).toMatchObject({ ok: false, error: expect.stringMatching(/loopback/) });
    expect(target.received).toHaveLength(0);
  });
});
