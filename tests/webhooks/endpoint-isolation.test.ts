import { describe, expect, it } from "vitest";
import { sql } from "kysely";
import { webhookSuite } from "../support/webhook-suite.js";

/** One endpoint that never answers must not hold up the others, and gets no more than its cap at once. */
const suite = webhookSuite({ WEBHOOK_TIMEOUT_MS: "8000", WEBHOOK_RETRY_DELAYS: "60" });

describe("an endpoint that never answers", () => {
  it("holds at most its in-flight cap of requests, and the other endpoints get every event meanwhile", async () => {
    const hanging = await suite.hangingReceiver();
    const healthy = await suite.receiver(() => ({ status: 200, delayMs: 20 }));
    const stuck = await suite.app.api.webhooks.create.mutate({ url: hanging.url, events: ["product.created"], maxInFlight: 2 });
    expect(stuck.maxInFlight).toBe(2);
    await suite.app.api.webhooks.create.mutate({ url: healthy.url, events: ["product.created"] });

    const started = Date.now();
    for (let index = 0; index < 30; index += 1) await suite.app.api.products.create.mutate({ sku: `iso-${index}`, name: `Isolated ${index}` });
    await healthy.waitFor(30, 7_000);
    // Every healthy delivery arrived while the hanging endpoint's first two attempts still waited for their 8 s timeout.
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(hanging.stats()).toEqual({ mostAtOnce: 2, received: 2 });
  });

  it("refuses a cap outside 1–32, naming the field", async () => {
    const { body } = await suite.app.trpcRaw(
      "webhooks.create",
      { url: "http://127.0.0.1:9/hooks", events: ["product.created"], maxInFlight: 0 },
      "POST",
    );
    expect(body.error.data.code).toBe("BAD_REQUEST");
    expect(body.error.message).toMatch(/maxInFlight: Requests at once must be between 1 and 32/);
  });
});

describe("an endpoint at its in-flight cap that answers quickly", () => {
  it("gets a burst one at a time, without waiting between attempts", async () => {
    const receiver = await suite.receiver(() => ({ status: 200, delayMs: 10 }));
    await suite.app.api.webhooks.create.mutate({ url: receiver.url, events: ["product.created"], maxInFlight: 1 });

    const started = Date.now();
    // One transaction: the whole burst is queued together and fetched in one batch.
    await sql`
      INSERT INTO events (type, data)
      SELECT 'product.created', jsonb_build_object('id', n::text, 'sku', 'line-' || n, 'name', 'Line ' || n, 'description', '', 'active', true,
        'createdAt', now(), 'updatedAt', now(), 'lastChange', jsonb_build_object('kind', 'edit', 'importId', null, 'at', now()))
      FROM generate_series(1, 12) AS n`.execute(suite.app.database.db);
    const received = await receiver.waitFor(12, 10_000);
    // Attempts beyond the cap used to be put off a second each: twelve took over ten seconds.
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(received.map((request) => JSON.parse(request.body).data.sku).sort()).toEqual(Array.from({ length: 12 }, (_, i) => `line-${i + 1}`).sort());
    const overlapping = received.slice(1).filter((request, index) => request.at < received[index]!.at + 10);
    expect(overlapping).toEqual([]);
  });
});
