import { describe, expect, it } from "vitest";
import { sql } from "kysely";
import { deliveriesSettled } from "../support/job-queue.js";
import { waitUntil } from "../support/wait.js";
import { webhookSuite } from "../support/webhook-suite.js";

const suite = webhookSuite({ WEBHOOK_TIMEOUT_MS: "1000", WEBHOOK_RETRY_DELAYS: "1,1" });

const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();
const skuOf = (request: { body: string }) => (JSON.parse(request.body) as { data: { sku: string } }).data.sku;

/** Every recorded event has been turned into deliveries (none, for an endpoint that is off). */
const everythingDispatched = () =>
  expect
    .poll(async () => {
      const undispatched = sql<{ waiting: number }>`SELECT count(*)::int AS waiting FROM events WHERE dispatched_at IS NULL`;
      return (await undispatched.execute(suite.app.database.db)).rows[0]!.waiting;
    })
    .toBe(0);

async function refusal(input: unknown) {
  const { body } = await suite.app.trpcRaw("webhooks.recover", input, "POST");
  return { code: body.error?.data?.code as string, message: body.error?.message as string };
}

describe("webhooks.recover", () => {
  it("resends, oldest first and under their first webhook-id, what failed and what was recorded while the endpoint was off", async () => {
    let up = false;
    const target = await suite.receiver(() => ({ status: up ? 200 : 500 }));
    const webhook = await suite.app.api.webhooks.create.mutate({ url: target.url, events: ["product.created"] });
    await suite.app.api.products.create.mutate({ sku: "out-1", name: "Failed three times" });
    const failed = await target.waitFor(3);
    await expect.poll(async () => (await suite.app.api.webhooks.get.query({ id: webhook.id })).enabled, { timeout: 10_000 }).toBe(false);
    await suite.app.api.products.create.mutate({ sku: "out-2", name: "Recorded while off" });
    await suite.app.api.products.create.mutate({ sku: "out-3", name: "Also while off" });
    await deliveriesSettled(suite.app.database.pool, { webhookIds: [webhook.id] });
    expect(target.received).toHaveLength(3);

    up = true;
    expect(await refusal({ id: webhook.id, since: hoursAgo(1) })).toMatchObject({
      code: "CONFLICT",
      message: expect.stringMatching(/Switch it on first/),
    });
    await suite.app.api.webhooks.update.mutate({ id: webhook.id, enabled: true });
    expect(await suite.app.api.webhooks.recover.mutate({ id: webhook.id, since: hoursAgo(1) })).toEqual({ queued: 3 });

    const resent = (await target.waitFor(6)).slice(3);
    expect(resent.map(skuOf)).toEqual(["out-1", "out-2", "out-3"]);
    expect(resent[0]!.headers["webhook-id"]).toBe(failed[0]!.headers["webhook-id"]);
    await expect
      .poll(async () => (await suite.app.api.webhooks.deliveries.query({ id: webhook.id })).items.filter((d) => d.statusCode === 200).length)
      .toBe(3);
    const attempts = (await suite.app.api.webhooks.deliveries.query({ id: webhook.id })).items;
    expect(attempts.find((d) => d.statusCode === 200 && d.eventId === failed[0]!.headers["webhook-id"])!.attempt).toBe(4);

    // Everything arrived: nothing left to recover, and the endpoint stays on.
    expect(await suite.app.api.webhooks.recover.mutate({ id: webhook.id, since: hoursAgo(1) })).toEqual({ queued: 0 });
    expect((await suite.app.api.webhooks.get.query({ id: webhook.id })).enabled).toBe(true);
  });

  it("leaves out what came before `since`, and what came before the endpoint existed", async () => {
    await suite.app.api.products.create.mutate({ sku: "before-1", name: "Before the endpoint" });
    const target = await suite.receiver(() => ({ status: 200 }));
    const webhook = await suite.app.api.webhooks.create.mutate({ url: target.url, events: ["product.created"], enabled: false });
    await suite.app.api.products.create.mutate({ sku: "after-1", name: "After it" });
    // Just after the event was recorded (a millisecond on: the database keeps microseconds), on this
    // machine's clock; a fixed "50 ms ago" counted it whenever the steps below ran faster than that.
    const afterIt = new Date(Date.now() + 1).toISOString();
    await everythingDispatched();
    await suite.app.api.webhooks.update.mutate({ id: webhook.id, enabled: true });
    // `since` must not be in the future when the server reads it.
    await waitUntil("the clock to pass afterIt", () => Date.now() > Date.parse(afterIt), 1_000, 1);
    expect(await suite.app.api.webhooks.recover.mutate({ id: webhook.id, since: afterIt })).toEqual({ queued: 0 });
    expect(await suite.app.api.webhooks.recover.mutate({ id: webhook.id, since: hoursAgo(2) })).toEqual({ queued: 1 });
    expect((await target.waitFor(1)).map(skuOf)).toEqual(["after-1"]);
  });

  it("queues an event once however often it is asked, several at once included: each arrives once, and a repeat queues nothing", async () => {
    // Slow answers keep the first recovery's deliveries queued or in flight while the others ask.
    const target = await suite.receiver(() => ({ status: 200, delayMs: 300 }));
    const webhook = await suite.app.api.webhooks.create.mutate({ url: target.url, events: ["product.created"], enabled: false, maxInFlight: 1 });
    for (const sku of ["twice-1", "twice-2", "twice-3"]) await suite.app.api.products.create.mutate({ sku, name: "Recorded while off" });
    await everythingDispatched();
    await suite.app.api.webhooks.update.mutate({ id: webhook.id, enabled: true });

    const recover = () => suite.app.api.webhooks.recover.mutate({ id: webhook.id, since: hoursAgo(1) });
    const atOnce = await Promise.all([recover(), recover(), recover(), recover()]);
    expect(atOnce.map(({ queued }) => queued).sort()).toEqual([0, 0, 0, 3]);
    expect(await recover()).toEqual({ queued: 0 });

    await target.waitFor(3);
    // Nothing left in the queue for the endpoint: any second copy would have arrived by then.
    await deliveriesSettled(suite.app.database.pool, { webhookIds: [webhook.id] });
    expect(target.received.map(skuOf).sort()).toEqual(["twice-1", "twice-2", "twice-3"]);
    expect(await recover()).toEqual({ queued: 0 });
  });

  it("refuses a since in the future, before the retention window or not a date, and an endpoint that is gone", async () => {
    const webhook = await suite.app.api.webhooks.create.mutate({ url: "http://127.0.0.1:9/hooks", events: ["product.created"] });
    expect(await refusal({ id: webhook.id, since: new Date(Date.now() + 3_600_000).toISOString() })).toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/since is in the future/),
    });
    expect(await refusal({ id: webhook.id, since: hoursAgo(31 * 24) })).toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/before the retention window: events older than 30 days/),
    });
    expect(await refusal({ id: webhook.id, since: "yesterday" })).toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/since must be an ISO-8601/),
    });
    await suite.app.api.webhooks.delete.mutate({ id: webhook.id });
    expect(await refusal({ id: webhook.id, since: hoursAgo(1) })).toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("webhooks.recover while a retry waits", () => {
  const WAITING_RETRY_SECONDS = 4;
  const waiting = webhookSuite({ WEBHOOK_TIMEOUT_MS: "1000", WEBHOOK_RETRY_DELAYS: String(WAITING_RETRY_SECONDS) });

  it("brings a retry that waits for later forward instead of adding a second one", async () => {
    let answered = 0;
    const target = await waiting.receiver(() => ({ status: answered++ === 0 ? 500 : 200 }));
    const webhook = await waiting.app.api.webhooks.create.mutate({ url: target.url, events: ["product.created"] });
    await waiting.app.api.products.create.mutate({ sku: "waiting-1", name: "Failed once" });
    await target.waitFor(1);
    // The failure is logged and its retry scheduled for WAITING_RETRY_SECONDS from now.
    await expect
      .poll(async () => (await waiting.app.api.webhooks.recover.mutate({ id: webhook.id, since: hoursAgo(1) })).queued, { interval: 50 })
      .toBe(1);
    const recoveredAt = Date.now();
    const [, resent] = await target.waitFor(2);
    expect(resent!.at - recoveredAt).toBeLessThan((WAITING_RETRY_SECONDS * 1000) / 2);
    expect(resent!.headers["webhook-id"]).toBe(target.received[0]!.headers["webhook-id"]);
    // Nothing left in the queue for the endpoint: the retry was replaced, not kept beside the resent one
    // (kept, it would wait in the queue until it was due, and then arrive).
    await deliveriesSettled(waiting.app.database.pool, { webhookIds: [webhook.id] });
    expect(target.received).toHaveLength(2);
  });
});
