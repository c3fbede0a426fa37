import { describe, expect, it } from "vitest";
import { sql } from "kysely";
import { messageSchemaOf } from "../../server/events/event-catalog.js";
import { webhookSuite } from "../support/webhook-suite.js";

/** Being told in time: failing for an hour, switched off, and the others hearing of it. */
const suite = webhookSuite({ WEBHOOK_TIMEOUT_MS: "1000", WEBHOOK_RETRY_DELAYS: "1,1" });

describe("webhook alerts", () => {
  it("tell when deliveries have failed for over an hour, and stop once one succeeds", async () => {
    let up = false;
    const target = await suite.receiver(() => ({ status: up ? 200 : 500 }));
    const webhook = await suite.app.api.webhooks.create.mutate({ url: target.url, events: ["product.created"] });
    await suite.app.api.products.create.mutate({ sku: "alert-1", name: "Failing" });
    await target.waitFor(1);
    await expect.poll(async () => (await suite.app.api.webhooks.get.query({ id: webhook.id })).failingSince).not.toBeNull();
    // Failing, but not for an hour yet.
    expect((await suite.app.api.webhooks.get.query({ id: webhook.id })).alert).toBeNull();
    expect((await suite.app.api.webhooks.alerts.query({})).endpoints).toEqual([]);

    await sql`UPDATE webhooks SET failing_since = now() - interval '61 minutes'`.execute(suite.app.database.db);
    expect((await suite.app.api.webhooks.get.query({ id: webhook.id })).alert).toMatchObject({ kind: "failing" });
    expect((await suite.app.api.webhooks.alerts.query({})).endpoints.map((endpoint) => endpoint.id)).toEqual([webhook.id]);

    up = true;
    await target.waitFor(2);
    await expect.poll(async () => (await suite.app.api.webhooks.get.query({ id: webhook.id })).failingSince).toBeNull();
    expect((await suite.app.api.webhooks.alerts.query({})).endpoints).toEqual([]);
  });

  it("tell the other endpoints with webhook.disabled when one is switched off, after its retries or on 410", async () => {
    const watcher = await suite.receiver();
    await suite.app.api.webhooks.create.mutate({ url: watcher.url, events: ["webhook.disabled"] });
    const failing = await suite.receiver(() => ({ status: 500 }));
    const retried = await suite.app.api.webhooks.create.mutate({ url: failing.url, events: ["product.created"] });
    const gone = await suite.receiver(() => ({ status: 410 }));
    const goneHook = await suite.app.api.webhooks.create.mutate({ url: gone.url, events: ["product.created"] });
    await suite.app.api.products.create.mutate({ sku: "off-1", name: "Switching off" });

    const messages = (await watcher.waitFor(2, 20_000)).map((request) => JSON.parse(request.body));
    for (const message of messages) expect(() => messageSchemaOf("webhook.disabled").parse(message)).not.toThrow();
    const byId = new Map(messages.map((message) => [message.data.id, message.data]));
    expect(byId.get(goneHook.id)).toMatchObject({ url: gone.url, reason: expect.stringMatching(/410 Gone/) });
    expect(byId.get(retried.id)).toMatchObject({ url: failing.url, reason: expect.stringMatching(/3 attempts .* all failed/) });
    const alerts = (await suite.app.api.webhooks.alerts.query({})).endpoints;
    expect(alerts.map((endpoint) => [endpoint.id, endpoint.alert?.kind]).sort()).toEqual(
      [
        [retried.id, "disabled"],
        [goneHook.id, "disabled"],
      ].sort(),
    );
    // Switched on again, it needs no attention until it fails for an hour again.
    await suite.app.api.webhooks.update.mutate({ id: goneHook.id, enabled: true });
    expect((await suite.app.api.webhooks.get.query({ id: goneHook.id })).alert).toBeNull();
  });
});
