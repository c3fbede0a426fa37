import { describe, expect, it } from "vitest";
import { sql } from "kysely";
import { Webhook } from "standardwebhooks";
import { MASKED } from "../../server/webhooks/logged-headers.js";
import { deliveriesSettled } from "../support/job-queue.js";
import { webhookSuite } from "../support/webhook-suite.js";

/** Rotations with overlap, and what a receiver's answers make the sender do. */
// The longest retry delay (3 s) caps what Retry-After can ask for.
const suite = webhookSuite({ WEBHOOK_TIMEOUT_MS: "1000", WEBHOOK_RETRY_DELAYS: "1,3" });

const accepts = (secret: string, request: { headers: Record<string, unknown>; body: string }) => {
  try {
    new Webhook(secret).verify(request.body, request.headers as Record<string, string>);
    return true;
  } catch {
    return false;
  }
};

describe("rotating a secret", () => {
  it("keeps the old secret signing beside the new one during the overlap, then only the new one", async () => {
    const target = await suite.receiver();
    const created = await suite.app.api.webhooks.create.mutate({ url: target.url, events: ["product.created"] });
    const rotated = await suite.app.api.webhooks.rotateSecret.mutate({ id: created.id, overlapHours: 24 });
    expect(rotated.secret).not.toBe(created.secret);
    const expiresIn = Date.parse(rotated.previousSecretExpiresAt!) - Date.now();
    expect(expiresIn).toBeGreaterThan(23.9 * 3_600_000);
    expect(expiresIn).toBeLessThanOrEqual(24 * 3_600_000);

    await suite.app.api.products.create.mutate({ sku: "rot-1", name: "During the overlap" });
    const [during] = await target.waitFor(1);
    expect(String(during!.headers["webhook-signature"]).split(" ")).toHaveLength(2);
    expect(accepts(rotated.secret, during!)).toBe(true);
    expect(accepts(created.secret, during!)).toBe(true);

    // The overlap runs out.
    await sql`UPDATE webhooks SET previous_secret_expires_at = now() - interval '1 second'`.execute(suite.app.database.db);
    expect((await suite.app.api.webhooks.get.query({ id: created.id })).previousSecretExpiresAt).toBeNull();
    await suite.app.api.products.create.mutate({ sku: "rot-2", name: "After the overlap" });
    const [, after] = await target.waitFor(2);
    expect(accepts(rotated.secret, after!)).toBe(true);
    expect(accepts(created.secret, after!)).toBe(false);
  });

  it("with no overlap ends the old secret at once, and refuses an overlap outside 0–168 hours", async () => {
    const target = await suite.receiver();
    const created = await suite.app.api.webhooks.create.mutate({ url: target.url, events: ["product.created"] });
    const rotated = await suite.app.api.webhooks.rotateSecret.mutate({ id: created.id, overlapHours: 0 });
    expect(rotated.previousSecretExpiresAt).toBeNull();
    await suite.app.api.products.create.mutate({ sku: "rot-3", name: "At once" });
    const [request] = await target.waitFor(1);
    expect(accepts(rotated.secret, request!)).toBe(true);
    expect(accepts(created.secret, request!)).toBe(false);

    for (const overlapHours of [-1, 169, 1.5]) {
      const { body } = await suite.app.trpcRaw("webhooks.rotateSecret", { id: created.id, overlapHours }, "POST");
      expect(body.error.data.code).toBe("BAD_REQUEST");
      expect(body.error.message).toMatch(/overlapHours must be/);
    }
    expect((await suite.app.api.webhooks.revealSecret.mutate({ id: created.id })).secret).toBe(rotated.secret);
  });
});

describe("a receiver's answer", () => {
  it("410 Gone switches the endpoint off at once, says why, and nothing is retried", async () => {
    const target = await suite.receiver(() => ({ status: 410 }));
    const webhook = await suite.app.api.webhooks.create.mutate({ url: target.url, events: ["product.created"] });
    await suite.app.api.products.create.mutate({ sku: "gone-1", name: "Gone" });
    await target.waitFor(1);
    await expect.poll(async () => (await suite.app.api.webhooks.get.query({ id: webhook.id })).enabled).toBe(false);
    expect((await suite.app.api.webhooks.get.query({ id: webhook.id })).disabledReason).toMatch(/410 Gone/);
    await suite.app.api.products.create.mutate({ sku: "gone-2", name: "Unheard" });
    await deliveriesSettled(suite.app.database.pool, { webhookIds: [webhook.id] });
    expect(target.received).toHaveLength(1);
  });

  it("429 with Retry-After waits that long, capped by the schedule's longest delay", async () => {
    const answers = [{ status: 429, headers: { "Retry-After": "2" } }, { status: 503, headers: { "Retry-After": "86400" } }, { status: 204 }];
    const target = await suite.receiver((_request, index) => answers[index] ?? { status: 204 });
    await suite.app.api.webhooks.create.mutate({ url: target.url, events: ["product.created"] });
    await suite.app.api.products.create.mutate({ sku: "later-1", name: "Later" });
    const [first, second, third] = await target.waitFor(3, 20_000);
    // The schedule alone would have retried after 1 s; a day is capped to its longest delay, 3 s.
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(1_900);
    expect(third!.at - second!.at).toBeGreaterThanOrEqual(2_900);
    expect(third!.at - second!.at).toBeLessThan(8_000);
    expect(new Set([first, second, third].map((request) => request!.headers["webhook-id"])).size).toBe(1);
  });
});

describe("the delivery log", () => {
  it("keeps the headers sent and received, credentials and signatures masked", async () => {
    const target = await suite.receiver(() => ({ status: 202, headers: { "Set-Cookie": "session=very-secret", "X-Request-Id": "req-42" } }));
    const webhook = await suite.app.api.webhooks.create.mutate({ url: target.url, events: ["product.created"] });
    await suite.app.api.products.create.mutate({ sku: "log-1", name: "Logged" });
    await target.waitFor(1);
    await expect.poll(async () => (await suite.app.api.webhooks.deliveries.query({ id: webhook.id })).items.length).toBe(1);
    const [delivery] = (await suite.app.api.webhooks.deliveries.query({ id: webhook.id })).items;
    expect(delivery!.requestHeaders).toMatchObject({ "content-type": "application/json", "webhook-id": delivery!.eventId });
    expect(delivery!.requestHeaders!["webhook-signature"]).toMatch(new RegExp(`^v1,.{6}${MASKED}$`));
    expect(JSON.stringify(delivery!.requestHeaders)).not.toContain(webhook.secret.slice(6));
    expect(delivery!.responseHeaders).toMatchObject({ "x-request-id": "req-42", "set-cookie": MASKED });
  });
});
