import { afterAll, beforeAll, expect, it } from "vitest";
import { loadConfig } from "../../server/config.js";
import { startApp, type RunningApp } from "../../runtime.js";
import { createTestDatabase } from "../support/test-database.js";
import { sleep } from "../support/wait.js";
import { readScrape } from "../support/metrics-text.js";
import { IMPORT_QUEUE } from "../../server/imports/import-queue.js";

let databaseUrl: string;
const running: RunningApp[] = [];
beforeAll(async () => {
  databaseUrl = await createTestDatabase();
});
afterAll(async () => {
  for (const app of running.reverse()) await app.stop();
});

async function start(role: "web" | "worker") {
  const app = await startApp(loadConfig({ PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "silent", DATABASE_URL: databaseUrl, ROLE: role }), {
    pages: false,
  });
  running.push(app);
  return app;
}

async function importStatus(app: RunningApp, id: string) {
  const response = await fetch(`${app.url}/api/trpc/imports.get?input=${encodeURIComponent(JSON.stringify({ id }))}`);
  return ((await response.json()) as { result: { data: { status: string; createdCount: number } } }).result.data;
}

it("a web process queues imports and a worker process on the same database applies them", async () => {
  const web = await start("web");
  expect(await (await fetch(`${web.url}/healthz`)).json()).toEqual({ ok: true });

  const form = new FormData();
  form.append("file", new Blob(["sku,name\nrole-1,Split roles\n"]), "roles.csv");
  const { id } = (await (await fetch(`${web.url}/api/imports`, { method: "POST", body: form })).json()) as { id: string };
  // A web process applies nothing: a while passes and the import still waits (the time is what is under test).
  await sleep(1500);
  expect((await importStatus(web, id)).status).toBe("queued");

  const worker = await start("worker");
  expect((await fetch(`${worker.url}/healthz`)).status).toBe(200);
  expect((await fetch(`${worker.url}/api/trpc/imports.get?input={}`)).status).toBe(404);

  const deadline = Date.now() + 20_000;
  while ((await importStatus(web, id)).status !== "completed") {
    expect(Date.now()).toBeLessThan(deadline);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(await importStatus(web, id)).toMatchObject({ status: "completed", createdCount: 1 });

  // Both answer /metrics; what lives in Postgres reads the same on each.
  const [onWeb, onWorker] = await Promise.all(
    [web, worker].map(async (app) => {
      const response = await fetch(`${app.url}/metrics`);
      expect(response.status).toBe(200);
      return readScrape(await response.text());
    }),
  );
  expect(onWorker!.value("product_importer_rows_merged_total")).toBeGreaterThanOrEqual(1);
  for (const figures of [onWeb!, onWorker!]) {
    expect(figures.value("product_importer_imports", { status: "queued" })).toBe(0);
    expect(figures.value("product_importer_queue_depth", { queue: IMPORT_QUEUE })).toBe(0);
  }
});
