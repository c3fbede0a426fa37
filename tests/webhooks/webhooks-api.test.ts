import { describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { EVENT_TYPES } from "../../db/schema.js";
import { examplePayload } from "../../server/events/event-catalog.js";
import { recordEvent } from "../../server/events/events.table.js";
import { freePort } from "../support/app-process.js";
import { deliveriesSettled } from "../support/job-queue.js";
import { importCsv, refusalOf } from "../support/test-app.js";
import { webhookSuite } from "../support/webhook-suite.js";
import { FEEDS_ON_LOOPBACK, recordFeedEvents } from "../support/feed-events.js";

const suite = webhookSuite({ WEBHOOK_TIMEOUT_MS: "1000", WEBHOOK_RETRY_DELAYS: "1,1", ...FEEDS_ON_LOOPBACK });

const refusal = (procedure: string, input: unknown) => refusalOf(suite.app, procedure, input);

const verified = (secret: string, request: { headers: Record<string, unknown>; body: string }) =>
  new Webhook(secret).verify(request.body, request.headers as Record<string, string>) as { id: string; type: string; createdAt: string; data: any };

const deliveries = async (id: string) => (await suite.app.api.webhooks.deliveries.query({ id })).items;

describe("webhooks.create / list / update / delete", () => {
  it("saves an endpoint with a Standard Webhooks secret, lists, updates and deletes it", async () => {
    const created = await suite.app.api.webhooks.create.mutate({
      url: " http://127.0.0.1:9/hooks ",
      events: ["product.updated", "product.created", "product.created"],
    });
    expect(created).toMatchObject({
      url: "http://127.0.0.1:9/hooks",
      events: ["product.created", "product.updated"],
      enabled: true,
      lastStatusCode: null,
    });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    // Listed with a hint to tell secrets apart; the secret itself only on purpose (revealSecret).
    const hint = `whsec_…${created.secret.slice(-4)}`;
    expect(await suite.app.api.webhooks.list.query({})).toEqual([{ ...created, secret: null, secretHint: hint }]);

    const updated = await suite.app.api.webhooks.update.mutate({ id: created.id, enabled: false, events: ["import.failed"] });
    expect(updated).toMatchObject({ enabled: false, events: ["import.failed"], secret: null, secretHint: hint });
    expect(await suite.app.api.webhooks.revealSecret.mutate({ id: created.id })).toEqual({ id: created.id, secret: created.secret });
    const rotated = await suite.app.api.webhooks.rotateSecret.mutate({ id: created.id });
    expect(rotated.secret).not.toBe(created.secret);

    expect(await suite.app.api.webhooks.delete.mutate({ id: created.id })).toEqual({ id: created.id });
    expect(await suite.app.api.webhooks.list.query({})).toEqual([]);
    expect(await refusal("webhooks.delete", { id: created.id })).toMatchObject({ code: "NOT_FOUND" });
    expect(await refusal("webhooks.update", { id: created.id, enabled: true })).toMatchObject({ code: "NOT_FOUND" });
    expect(await refusal("webhooks.revealSecret", { id: created.id })).toMatchObject({ code: "NOT_FOUND" });
  });

  it("refuses a URL that is not http(s), and an empty or unknown event list, naming the field", async () => {
    expect(await refusal("webhooks.create", { url: "ftp://example.test/x", events: ["product.created"] })).toEqual({
      code: "BAD_REQUEST",
      message: "url: URL must start with http:// or https://",
    });
    expect(await refusal("webhooks.create", { url: "not a url", events: ["product.created"] })).toMatchObject({
      message: expect.stringMatching(/^url: URL is not a valid address/),
    });
    expect(await refusal("webhooks.create", { url: "http://127.0.0.1:9/", events: [] })).toEqual({
      code: "BAD_REQUEST",
      message: "events: Choose at least one event",
    });
    expect(await refusal("webhooks.create", { url: "http://127.0.0.1:9/", events: ["product.exploded"] })).toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/^events\.0: Events must be among product\.created/),
    });
  });
});

describe("delivery", () => {
  it("sends every event type, signed so the library's verifier accepts it, with the event's id as webhook-id", async () => {
    const target = await suite.receiver();
    const webhook = await suite.app.api.webhooks.create.mutate({ url: target.url, events: [...EVENT_TYPES] });
    // Another endpoint, gone (410), is switched off at its first delivery: webhook.disabled.
    const gone = await suite.receiver(() => ({ status: 410 }));
    const goneHook = await suite.app.api.webhooks.create.mutate({ url: gone.url, events: ["product.created"] });

    const product = await suite.app.api.products.create.mutate({ sku: "hook-1", name: "Hooked" });
    await suite.app.api.products.update.mutate({ id: product.id, name: "Hooked again" });
    await suite.app.api.products.delete.mutate({ id: product.id });
    const many = Array.from({ length: 1_001 }, (_, i) => `bulk-${i},Bulk ${i}`).join("\n");
    const imported = await importCsv(suite.app, `sku,name\nhook-2,Two\n${many}\n`, "hooks.csv");
    // Over 1,000 products at once: one bulk event each, not 1,001.
    await suite.app.api.products.bulkUpdate.mutate({ filter: { sku: "bulk-" }, set: { active: false } });
    await suite.app.api.products.bulkDelete.mutate({ filter: { sku: "bulk-" } });
    await suite.app.api.products.deleteAll.mutate({});
    expect((await suite.app.uploadCsv('sku,name\nx,"never closed\n', "broken.csv")).status).toBe(400);
    // Its product is gone already: the undo has nothing left to remove, and says so.
    await suite.app.api.imports.revert.mutate({ id: imported.id });
    const fed = await recordFeedEvents(suite.app);

    const requests = await target.waitFor(EVENT_TYPES.length);
    const messages = requests.map((request) => verified(webhook.secret, request));
    expect(messages.map((message) => message.type).sort()).toEqual([...EVENT_TYPES].sort());
    for (const [index, message] of messages.entries()) {
      expect(requests[index]!.headers["webhook-id"]).toBe(message.id);
      expect(requests[index]!.headers["content-type"]).toBe("application/json");
      expect(new Date(message.createdAt).toISOString()).toBe(message.createdAt);
    }
    const byType = Object.fromEntries(messages.map((message) => [message.type, message.data]));
    expect(byType["product.created"]).toMatchObject({ id: product.id, sku: "hook-1", name: "Hooked" });
    expect(byType["product.updated"]).toMatchObject({ id: product.id, name: "Hooked again" });
    expect(byType["product.deleted"]).toMatchObject({ id: product.id, sku: "hook-1" });
    expect(byType["products.deleted_all"]).toEqual({ deleted: 1 });
    expect(byType["import.reverted"]).toMatchObject({ id: imported.id, status: "reverted", restored: 0, removed: 0, kept: 0 });
    expect(byType["import.completed"]).toMatchObject({ filename: "hooks.csv", createdCount: 1_002, updatedCount: 0, errorCount: 0 });
    expect(byType["products.bulk_updated"]).toEqual({ filter: { sku: "bulk-" }, set: { active: false }, count: 1_001 });
    expect(byType["products.bulk_deleted"]).toEqual({ filter: { sku: "bulk-" }, count: 1_001 });
    expect(byType["import.failed"]).toMatchObject({ filename: "broken.csv", error: expect.stringMatching(/^Line 2/) });
    expect(byType["webhook.disabled"]).toMatchObject({ id: goneHook.id, url: gone.url, reason: expect.stringMatching(/410 Gone/) });
    expect(byType["import.held"]).toMatchObject({
      id: fed.heldImportId,
      status: "review",
      reason: expect.stringMatching(/would reject 1 row of the file \(20% of its rows\)/),
    });
    expect(byType["feed.failed"]).toMatchObject({
      feedId: fed.failedFeedId,
      name: "Gone",
      reason: expect.stringMatching(/^The source answered HTTP 404 Not Found \(3 tries/),
    });

    // Deliveries arrive in any order; every body has a type to alter.
    const tampered = { ...requests[0]!, body: requests[0]!.body.replace('"type":"', '"type":"x') };
    expect(tampered.body).not.toBe(requests[0]!.body);
    expect(() => verified(webhook.secret, tampered)).toThrow();
    await expect.poll(async () => (await suite.app.api.webhooks.get.query({ id: webhook.id })).lastStatusCode).toBe(200);
  });

  it("retries a failed delivery with the same id and logs every attempt", async () => {
    const target = await suite.receiver((_request, index) => (index === 0 ? { status: 503, body: "busy, come back later" } : { status: 204 }));
    const webhook = await suite.app.api.webhooks.create.mutate({ url: target.url, events: ["product.created"] });
    await suite.app.api.products.create.mutate({ sku: "retry-1", name: "Retry" });

    const [first, second] = await target.waitFor(2);
    expect(second!.headers["webhook-id"]).toBe(first!.headers["webhook-id"]);
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(900);
    await expect.poll(async () => (await deliveries(webhook.id)).length).toBe(2);
    const [latest, earliest] = await deliveries(webhook.id);
    expect(earliest).toMatchObject({
      attempt: 1,
      statusCode: 503,
      error: "HTTP 503",
      responseBody: "busy, come back later",
      eventType: "product.created",
    });
    expect(latest).toMatchObject({ attempt: 2, statusCode: 204, error: null, eventId: earliest!.eventId });
    expect(latest!.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it("switches an endpoint off after its last retry fails, says why, and sends it nothing more", async () => {
    const target = await suite.receiver(() => ({ status: 500 }));
    const webhook = await suite.app.api.webhooks.create.mutate({ url: target.url, events: ["product.created"] });
    await suite.app.api.products.create.mutate({ sku: "doomed-1", name: "Doomed" });
    await target.waitFor(3);
    await expect.poll(async () => (await suite.app.api.webhooks.get.query({ id: webhook.id })).enabled, { timeout: 10_000 }).toBe(false);
    expect((await suite.app.api.webhooks.get.query({ id: webhook.id })).disabledReason).toMatch(/3 attempts .* all failed \(last: HTTP 500\)/);

    await suite.app.api.products.create.mutate({ sku: "doomed-2", name: "Unheard" });
    await deliveriesSettled(suite.app.database.pool, { webhookIds: [webhook.id] });
    expect(target.received).toHaveLength(3);
    const again = await suite.app.api.webhooks.update.mutate({ id: webhook.id, enabled: true });
    expect(again).toMatchObject({ enabled: true, disabledReason: null });
  });

  it("sends nothing to a disabled endpoint or one not subscribed to the event", async () => {
    const off = await suite.receiver();
    const other = await suite.receiver();
    const listening = await suite.receiver();
    const offEndpoint = await suite.app.api.webhooks.create.mutate({ url: off.url, events: ["product.created"], enabled: false });
    const otherEndpoint = await suite.app.api.webhooks.create.mutate({ url: other.url, events: ["product.deleted"] });
    await suite.app.api.webhooks.create.mutate({ url: listening.url, events: ["product.created"] });
    await suite.app.api.products.create.mutate({ sku: "quiet-1", name: "Quiet" });
    await listening.waitFor(1);
    await deliveriesSettled(suite.app.database.pool, { webhookIds: [offEndpoint.id, otherEndpoint.id] });
    expect(off.received).toHaveLength(0);
    expect(other.received).toHaveLength(0);
  });

  it("sends nothing for a change that rolled back", async () => {
    const target = await suite.receiver();
    const webhook = await suite.app.api.webhooks.create.mutate({ url: target.url, events: ["product.created"] });
    await suite.app.database.db
      .transaction()
      .execute(async (tx) => {
        await recordEvent(tx, "product.created", { ...examplePayload("product.created"), sku: "ghost" });
        throw new Error("the change fails after its event was written");
      })
      .catch(() => {});
    await suite.app.api.products.create.mutate({ sku: "real-1", name: "Real" });
    const [only] = await target.waitFor(1);
    await deliveriesSettled(suite.app.database.pool, { webhookIds: [webhook.id] });
    expect(target.received).toHaveLength(1);
    expect(JSON.parse(only!.body).data.sku).toBe("real-1");
  });

  it("sends a logged delivery again on Resend, as the next attempt of the same event", async () => {
    const target = await suite.receiver();
    const webhook = await suite.app.api.webhooks.create.mutate({ url: target.url, events: ["product.created"] });
    await suite.app.api.products.create.mutate({ sku: "again-1", name: "Again" });
    const [first] = await target.waitFor(1);
    await expect.poll(async () => (await deliveries(webhook.id)).length).toBe(1);
    const [delivery] = await deliveries(webhook.id);
    expect(await suite.app.api.webhooks.resend.mutate({ deliveryId: delivery!.id })).toMatchObject({ queued: true });
    const [, second] = await target.waitFor(2);
    expect(second!.headers["webhook-id"]).toBe(first!.headers["webhook-id"]);
    await expect.poll(async () => (await deliveries(webhook.id))[0]?.attempt).toBe(2);
  });
});

describe("the Test button", () => {
  it("reports the status code and latency of a receiver that answers", async () => {
    const ok = await suite.receiver(() => ({ status: 200, delayMs: 50 }));
    const failing = await suite.receiver(() => ({ status: 500 }));
    const good = await suite.app.api.webhooks.create.mutate({ url: ok.url, events: ["product.created"] });
    const bad = await suite.app.api.webhooks.create.mutate({ url: failing.url, events: ["product.created"] });

    const result = await suite.app.api.webhooks.test.mutate({ id: good.id });
    expect(result).toMatchObject({ ok: true, statusCode: 200, error: null });
    expect(result.latencyMs).toBeGreaterThanOrEqual(45);
    expect(verified(good.secret, ok.received[0]!)).toMatchObject({ type: "webhook.test" });
    expect(await suite.app.api.webhooks.test.mutate({ id: bad.id })).toMatchObject({ ok: false, statusCode: 500, error: "HTTP 500" });
    expect((await deliveries(good.id))[0]).toMatchObject({ eventType: "webhook.test", attempt: 1, statusCode: 200 });
    expect((await suite.app.api.webhooks.get.query({ id: bad.id })).lastStatusCode).toBe(500);
  });

  it("reports a timeout, a refused connection and a dropped one", async () => {
    const slow = await suite.receiver(() => ({ status: 200, delayMs: 3_000 }));
    const rude = await suite.receiver(() => "hang-up");
    const closedPort = await freePort();
    const [timesOut, refused, dropped] = await Promise.all(
      [slow.url, `http://127.0.0.1:${closedPort}/hooks`, rude.url].map((url) =>
        suite.app.api.webhooks.create.mutate({ url, events: ["product.created"] }),
      ),
    );
    expect(await suite.app.api.webhooks.test.mutate({ id: timesOut!.id })).toMatchObject({
      ok: false,
      statusCode: null,
      error: "Timed out after 1 s",
    });
    expect(await suite.app.api.webhooks.test.mutate({ id: refused!.id })).toMatchObject({
      ok: false,
      statusCode: null,
      error: `Connection refused by 127.0.0.1:${closedPort}`,
    });
    expect(await suite.app.api.webhooks.test.mutate({ id: dropped!.id })).toMatchObject({
      ok: false,
      statusCode: null,
      error: expect.stringMatching(/closed the connection|socket hang up/),
    });
  });
});
