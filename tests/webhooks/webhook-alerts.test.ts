import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { messageSchemaOf } from "../../server/events/event-catalog.js";
import { startReceiver, type Receiver } from "../support/receiver.js";
import { startTestApp, type TestApp } from "../support/test-app.js";

/** Being told in time: failing for an hour, switched off, and the others hearing of it. */
let app: TestApp;
const receivers: Receiver[] = [];
beforeAll(async () => {
  app = await startTestApp({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: "1", WEBHOOK_TIMEOUT_MS: "1000", WEBHOOK_RETRY_DELAYS: "1,1" });
});
afterAll(() => app?.stop());
beforeEach(async () => {
  await app.resetCatalog();
  await sql`DELETE FROM webhooks`.execute(app.database.db);
});
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
});

async function receiver(...args: Parameters<typeof startReceiver>) {
  const started = await startReceiver(...args);
  receivers.push(started);
  return started;
}

describe("webhook alerts", () => {
  it("tell when deliveries have failed for over an hour, and stop once one succeeds", async () => {
    let up = false;
    const target = await receiver(() => ({ status: up ? 200 : 500 }));
    const webhook = await app.api.webhooks.create.mutate({ url: target.url, events: ["product.created"] });
    await app.api.products.create.mutate({ sku: "alert-1", name: "Failing" });
    await target.waitFor(1);
    await expect.poll(async () => (await app.api.webhooks.get.query({ id: webhook.id })).failingSince).not.toBeNull();
    // Failing, but not for an hour yet.
    expect((await app.api.webhooks.get.query({ id: webhook.id })).alert).toBeNull();
    expect((await app.api.webhooks.alerts.query({})).endpoints).toEqual([]);

    await sql`UPDATE webhooks SET failing_since = now() - interval '61 minutes'`.execute(app.database.db);
    expect((await app.api.webhooks.get.query({ id: webhook.id })).alert).toMatchObject({ kind: "failing" });
    expect((await app.api.webhooks.alerts.query({})).endpoints.map((endpoint) => endpoint.id)).toEqual([webhook.id]);

    up = true;
    await target.waitFor(2);
    await expect.poll(async () => (await app.api.webhooks.get.query({ id: webhook.id })).failingSince).toBeNull();
    expect((await app.api.webhooks.alerts.query({})).endpoints).toEqual([]);
  });

  it("tell the other endpoints with webhook.disabled when one is switched off, after its retries or on 410", async () => {
    const watcher = await receiver();
    await app.api.webhooks.create.mutate({ url: watcher.url, events: ["webhook.disabled"] });
    const failing = await receiver(() => ({ status: 500 }));
    const retried = await app.api.webhooks.create.mutate({ url: failing.url, events: ["product.created"] });
    const gone = await receiver(() => ({ status: 410 }));
    const goneHook = await app.api.webhooks.create.mutate({ url: gone.url, events: ["product.created"] });
    await app.api.products.create.mutate({ sku: "off-1", name: "Switching off" });

    const messages = (await watcher.waitFor(2, 20_000)).map((request) => JSON.parse(request.body));
    for (const message of messages) expect(() => messageSchemaOf("webhook.disabled").parse(message)).not.toThrow();
    const byId = new Map(messages.map((message) => [message.data.id, message.data]));
    expect(byId.get(goneHook.id)).toMatchObject({ url: gone.url, reason: expect.stringMatching(/410 Gone/) });
    expect(byId.get(retried.id)).toMatchObject({ url: failing.url, reason: expect.stringMatching(/3 attempts .* all failed/) });
    const alerts = (await app.api.webhooks.alerts.query({})).endpoints;
    expect(alerts.map((endpoint) => [endpoint.id, endpoint.alert?.kind]).sort()).toEqual(
      [
        [retried.id, "disabled"],
        [goneHook.id, "disabled"],
      ].sort(),
    );
    // Switched on again, it needs no attention until it fails for an hour again.
    await app.api.webhooks.update.mutate({ id: goneHook.id, enabled: true });
    expect((await app.api.webhooks.get.query({ id: goneHook.id })).alert).toBeNull();
  });
});
