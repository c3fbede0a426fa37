import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { pruneWebhookHistory } from "../../server/webhooks/retention.js";
import { startTestApp, type TestApp } from "../support/test-app.js";

let app: TestApp;
beforeAll(async () => {
  // No worker: nothing dispatches the waiting event while the test looks at it.
  app = await startTestApp({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: "1", ROLE: "web" });
});
afterAll(() => app?.stop());

describe("webhook history past its retention", () => {
  it("is pruned in batches: old events and attempts go, recent ones and undispatched events stay", async () => {
    const { db } = app.database;
    const webhook = await app.api.webhooks.create.mutate({ url: "http://127.0.0.1:9/hooks", events: ["product.created"] });
    // 12,000 attempts and events 40 days old, then 30 recent ones of each, and one old event nobody dispatched yet.
    await sql`
      INSERT INTO events (type, data, created_at, dispatched_at)
      SELECT 'product.created', '{}'::jsonb, now() - interval '40 days', now() - interval '40 days' FROM generate_series(1, 12000)`.execute(db);
    await sql`INSERT INTO events (type, data, created_at) VALUES ('product.created', '{"waiting":true}', now() - interval '40 days')`.execute(db);
    await sql`
      INSERT INTO events (type, data, dispatched_at) SELECT 'product.created', '{"recent":true}'::jsonb, now() FROM generate_series(1, 30)`.execute(
      db,
    );
    await sql`
      INSERT INTO webhook_deliveries (webhook_id, event_id, event_type, attempt, status_code, created_at)
      SELECT ${webhook.id}, gen_random_uuid(), 'product.created', 1, 500, now() - interval '40 days' FROM generate_series(1, 12000)`.execute(db);
    await sql`
      INSERT INTO webhook_deliveries (webhook_id, event_id, event_type, attempt, status_code)
      SELECT ${webhook.id}, gen_random_uuid(), 'product.created', 1, 200 FROM generate_series(1, 30)`.execute(db);

    expect(await pruneWebhookHistory(db, app.log, 30)).toBe(24_000);
    const left = await sql<{ events: string; waiting: string; deliveries: string }>`
      SELECT (SELECT count(*) FROM events WHERE data->>'recent' = 'true') AS events,
             (SELECT count(*) FROM events WHERE data->>'waiting' = 'true') AS waiting,
             (SELECT count(*) FROM webhook_deliveries) AS deliveries`.execute(db);
    expect(left.rows[0]).toEqual({ events: "30", waiting: "1", deliveries: "30" });
    expect((await app.api.webhooks.deliveries.query({ id: webhook.id })).total).toBe(30);
    // Nothing old left: the next sweep finds nothing.
    expect(await pruneWebhookHistory(db, app.log, 30)).toBe(0);
  });
});
