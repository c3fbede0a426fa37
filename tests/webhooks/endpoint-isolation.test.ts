import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { sql } from "kysely";
import { startReceiver, type Receiver } from "../support/receiver.js";
import { startTestApp, type TestApp } from "../support/test-app.js";

/** One endpoint that never answers must not hold up the others, and gets no more than its cap at once. */
let app: TestApp;
const receivers: Receiver[] = [];
beforeAll(async () => {
  app = await startTestApp({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: "1", WEBHOOK_TIMEOUT_MS: "8000", WEBHOOK_RETRY_DELAYS: "60" });
});
afterAll(() => app?.stop());
beforeEach(async () => {
  await app.resetCatalog();
  await sql`DELETE FROM webhooks`.execute(app.database.db);
});
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
});

/** A receiver that reads each request and never answers, counting how many it holds at once. */
async function hangingReceiver() {
  let open = 0;
  let mostAtOnce = 0;
  let received = 0;
  const server = http.createServer((req, res) => {
    open += 1;
    received += 1;
    mostAtOnce = Math.max(mostAtOnce, open);
    req.resume();
    res.on("close", () => (open -= 1));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    stats: () => ({ mostAtOnce, received }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe("an endpoint that never answers", () => {
  it("holds at most its in-flight cap of requests, and the other endpoints get every event meanwhile", async () => {
    const hanging = await hangingReceiver();
    const healthy = await startReceiver(() => ({ status: 200, delayMs: 20 }));
    receivers.push(healthy, { close: hanging.close } as Receiver);
    const stuck = await app.api.webhooks.create.mutate({ url: hanging.url, events: ["product.created"], maxInFlight: 2 });
    expect(stuck.maxInFlight).toBe(2);
    await app.api.webhooks.create.mutate({ url: healthy.url, events: ["product.created"] });

    const started = Date.now();
    for (let index = 0; index < 30; index += 1) await app.api.products.create.mutate({ sku: `iso-${index}`, name: `Isolated ${index}` });
    await healthy.waitFor(30, 7_000);
    // Every healthy delivery arrived while the hanging endpoint's first two attempts still waited for their 8 s timeout.
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(hanging.stats()).toEqual({ mostAtOnce: 2, received: 2 });
  });

  it("refuses a cap outside 1–32, naming the field", async () => {
    const { body } = await app.trpcRaw("webhooks.create", { url: "http://127.0.0.1:9/hooks", events: ["product.created"], maxInFlight: 0 }, "POST");
    expect(body.error.data.code).toBe("BAD_REQUEST");
    expect(body.error.message).toMatch(/maxInFlight: Requests at once must be between 1 and 32/);
  });
});
