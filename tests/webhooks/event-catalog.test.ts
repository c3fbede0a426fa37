import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { EVENT_TYPES } from "../../db/schema.js";
import { examplePayload, messageSchemaOf } from "../../server/events/event-catalog.js";
import { recordEvent } from "../../server/events/events.table.js";
import { startReceiver } from "../support/receiver.js";
import { importCsv, startTestApp, type TestApp } from "../support/test-app.js";
import { FEEDS_ON_LOOPBACK, recordFeedEvents } from "../support/feed-events.js";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: "1", ...FEEDS_ON_LOOPBACK });
});
afterAll(() => app?.stop());

describe("webhooks.eventTypes", () => {
  it("lists every event type with a description, the JSON Schema of its message and an example that fits it", async () => {
    const catalog = await app.api.webhooks.eventTypes.query({});
    expect(catalog.map((entry) => entry.type)).toEqual([...EVENT_TYPES, "webhook.test"]);
    for (const entry of catalog) {
      expect(entry.description.length).toBeGreaterThan(10);
      expect(entry.schema).toMatchObject({
        type: "object",
        required: ["id", "type", "createdAt", "data"],
        properties: { type: { const: entry.type } },
      });
      expect(() => messageSchemaOf(entry.type).parse(entry.example)).not.toThrow();
    }
  });

  it("says what an import's counts mean, so a receiver need not guess that updatedCount includes the unchanged", async () => {
    const catalog = await app.api.webhooks.eventTypes.query({});
    const completed = catalog.find((entry) => entry.type === "import.completed")!;
    expect(completed.description).toContain("updatedCount - unchangedCount products changed");
    const data = (completed.schema as { properties: { data: { properties: Record<string, { description?: string }> } } }).properties.data.properties;
    expect(data.updatedCount!.description).toMatch(/changed or not \(includes unchangedCount\)/);
    expect(data.unchangedCount!.description).toMatch(/already exactly as in the file/);
    expect(data.skippedCount!.description).toMatch(/rows that are not products/);
    expect(data.durationMs!.description).toMatch(/wait in review/);
  });

  it("describes every real message: each event the app records, and the Test button's", async () => {
    await app.resetCatalog();
    await sql`DELETE FROM events`.execute(app.database.db);
    // An endpoint that is gone (410) is switched off at its first delivery, which records webhook.disabled.
    const gone = await startReceiver(() => ({ status: 410 }));
    const goneHook = await app.api.webhooks.create.mutate({ url: gone.url, events: ["product.created"] });
    const created = await app.api.products.create.mutate({ sku: "cat-1", name: "Catalogued" });
    await app.api.products.update.mutate({ id: created.id, name: "Catalogued again" });
    await app.api.products.delete.mutate({ id: created.id });
    const imported = await importCsv(app, "sku,name,active\ncat-2,Imported,yes\ncat-3,Also,no\n");
    await app.api.imports.revert.mutate({ id: imported.id });
    await importCsv(app, `sku,name\ncat-4,Last\n${Array.from({ length: 1_001 }, (_, i) => `many-${i},Many ${i}`).join("\n")}\n`);
    // Bulk actions over more than 1,000 products, and over a few (one product event each).
    await app.api.products.bulkUpdate.mutate({ filter: { sku: "many-" }, set: { active: false } });
    await app.api.products.bulkUpdate.mutate({ filter: { sku: "many-1" }, set: { active: true } });
    await app.api.products.bulkDelete.mutate({ filter: { sku: "many-" } });
    // A sync that would remove the whole catalog, applied straight away without the confirmation, fails.
    const sync = await app.uploadCsv("sku,name\ncat-5,Other\n", "sync.csv", { mode: "sync" });
    expect((await app.waitForImport(sync.body.id)).status).toBe("failed");
    await app.api.products.deleteAll.mutate({});
    // A feed's file held for a person, and a feed whose source is gone.
    await recordFeedEvents(app);
    await expect.poll(async () => (await app.api.webhooks.get.query({ id: goneHook.id })).enabled).toBe(false);
    await gone.close();

    const { rows } = await sql<{
      id: string;
      type: string;
      created_at: Date;
      data: unknown;
    }>`SELECT id, type, created_at, data FROM events ORDER BY position`.execute(app.database.db);
    expect(new Set(rows.map((row) => row.type))).toEqual(new Set(EVENT_TYPES));
    for (const row of rows) {
      const message = { id: row.id, type: row.type, createdAt: row.created_at.toISOString(), data: row.data };
      expect(() => messageSchemaOf(row.type).parse(message), row.type).not.toThrow();
    }

    const receiver = await startReceiver();
    const webhook = await app.api.webhooks.create.mutate({ url: receiver.url, events: ["product.created"] });
    await app.api.webhooks.test.mutate({ id: webhook.id });
    const [test] = await receiver.waitFor(1);
    expect(() => messageSchemaOf("webhook.test").parse(JSON.parse(test!.body))).not.toThrow();
    await receiver.close();
  });

  it("keeps a payload that strays from its schema out of the outbox, and the change with it", async () => {
    await expect(
      app.database.db.transaction().execute((tx) => recordEvent(tx, "product.created", { ...examplePayload("product.created"), price: 3 } as never)),
    ).rejects.toThrow(/price/);
    await expect(app.database.db.transaction().execute((tx) => recordEvent(tx, "products.deleted_all", { deleted: -1 }))).rejects.toThrow();
  });
});
