import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { sql } from "kysely";
import type { Config } from "../../server/config.js";
import { startHangingReceiver, startReceiver } from "./receiver.js";
import { startTestApp, type TestApp } from "./test-app.js";

/**
 * What every webhook test file sets up: one server with these settings (loopback receivers
 * allowed), an empty catalog and no endpoints before each test, and its receivers closed after it.
 * `pages` serves the Remix pages too (the login form, the Webhooks page's actions).
 */
export function webhookSuite(overrides: Partial<Record<keyof Config, string>>, options: { pages?: boolean } = {}) {
  let app: TestApp | undefined;
  const opened: { close(): Promise<void> }[] = [];
  const opening = async <T extends { close(): Promise<void> }>(receiver: Promise<T>) => {
    const started = await receiver;
    opened.push(started);
    return started;
  };
  beforeAll(async () => {
    app = await startTestApp({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: "1", ...overrides }, options);
  });
  afterAll(() => app?.stop());
  beforeEach(async () => {
    await app!.resetCatalog();
    await sql`DELETE FROM webhooks`.execute(app!.database.db);
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((receiver) => receiver.close()));
  });
  return {
    get app(): TestApp {
      if (!app) throw new Error("the webhook suite's server starts in beforeAll");
      return app;
    },
    receiver: (...args: Parameters<typeof startReceiver>) => opening(startReceiver(...args)),
    hangingReceiver: () => opening(startHangingReceiver()),
  };
}
