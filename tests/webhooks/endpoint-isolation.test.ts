import { describe, expect, it } from "vitest";
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
