import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_BATCH_CALLS } from "../../server/web/http-app.js";
import { rawRequest } from "../support/raw-http.js";
import { startTestApp, type TestApp } from "../support/test-app.js";

const PASSWORD = "correct horse battery staple";

const createProduct = (app: TestApp, headers: Record<string, string>) =>
  rawRequest(app.url, "/api/trpc/products.create", {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: JSON.stringify({ sku: "planted", name: "Planted by a rebound page" }),
  });

/** Wrong passwords sent at once, each claiming another client address. */
const wrongGuesses = (app: TestApp, count: number) =>
  Promise.all(
    Array.from({ length: count }, (_, i) =>
      fetch(`${app.url}/api/trpc/products.list`, { headers: { Authorization: `Bearer guess-${i}`, "X-Forwarded-For": `203.0.113.${i + 1}` } }).then(
        (response) => response.status,
      ),
    ),
  );

describe("forwarded headers, with no proxy configured (TRUST_PROXY unset)", () => {
  let open: TestApp;
  let guarded: TestApp;
  beforeAll(async () => {
    [open, guarded] = await Promise.all([startTestApp(), startTestApp({ APP_PASSWORD: PASSWORD })]);
  });
  afterAll(async () => {
    await Promise.all([open?.stop(), guarded?.stop()]);
  });

  it("cannot make a rebound host name pass for localhost", async () => {
    // What a page on rebind.attacker.example can send after pointing its name at 127.0.0.1.
    const rebound = await createProduct(open, { Host: "rebind.attacker.example", "X-Forwarded-Host": "localhost", "Sec-Fetch-Site": "same-origin" });
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.body).error).toContain('add "rebind.attacker.example" to ALLOWED_HOSTS');
    expect(await open.products(), "nothing was created").toEqual([]);
    expect((await createProduct(open, { Host: "localhost" })).status, "the real localhost still works").toBe(200);
  });

  it("cannot spread wrong passwords over made-up client addresses", async () => {
    const statuses = await wrongGuesses(guarded, 12);
    expect(statuses.filter((status) => status === 429).length, `statuses: ${statuses.join(",")}`).toBeGreaterThan(0);
  });
});

describe("forwarded headers from a configured proxy (TRUST_PROXY=loopback)", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ APP_PASSWORD: PASSWORD, TRUST_PROXY: "loopback" });
  });
  afterAll(async () => {
    await app?.stop();
  });

  it("count wrong passwords per client the proxy names", async () => {
    expect(await wrongGuesses(app, 12)).toEqual(Array(12).fill(401));
  });
});

describe("after logging in", () => {
  let app: TestApp;
  let open: TestApp;
  beforeAll(async () => {
    [app, open] = await Promise.all([startTestApp({ APP_PASSWORD: PASSWORD }, { pages: true }), startTestApp({}, { pages: true })]);
  });
  afterAll(async () => {
    await Promise.all([app?.stop(), open?.stop()]);
  });

  const logIn = (next: string) =>
    fetch(`${app.url}/login?next=${next}`, { method: "POST", body: new URLSearchParams({ password: PASSWORD }), redirect: "manual" });

  it("goes nowhere off this site, whatever dot segments the next path hides", async () => {
    for (const next of ["%2F..%2F%2Fevil.example", "/.//evil.example", "/a/..//evil.example", "%2F.%2F%5Cevil.example", "/./%2F/evil.example"]) {
      const response = await logIn(next);
      expect(response.status, next).toBe(302);
      expect(response.headers.get("location"), next).toBe("/");
    }
    expect((await logIn("%2Fimports%3Fpage%3D2")).headers.get("location"), "a path of this site is kept").toBe("/imports?page=2");
  });

  it("sends someone already logged in, or an open app's visitor, only to paths of this site", async () => {
    const cookie = (await logIn("%2F")).headers.get("set-cookie")!.split(";")[0]!;
    for (const [base, headers] of [
      [app.url, { Cookie: cookie }],
      [open.url, {}],
    ] as const) {
      const response = await fetch(`${base}/login?next=/.//evil.example`, { headers, redirect: "manual" });
      expect(response.status).toBe(302);
      expect(response.headers.get("location")).toBe("/");
    }
  });

  it("answers the login page's lock-out with Retry-After", async () => {
    const guarded = await startTestApp({ APP_PASSWORD: PASSWORD }, { pages: true });
    try {
      const wrong = () => fetch(`${guarded.url}/login`, { method: "POST", body: new URLSearchParams({ password: "guess" }), redirect: "manual" });
      await Promise.all(Array.from({ length: 10 }, wrong));
      const locked = await wrong();
      expect(locked.status).toBe(429);
      expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(800);
      expect(await locked.text()).toContain("Too many wrong passwords");
    } finally {
      await guarded.stop();
    }
  });
});

describe("tRPC batches", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app?.stop();
  });

  const batch = (calls: number) => {
    const paths = Array(calls).fill("products.list").join(",");
    const inputs = Object.fromEntries(Array.from({ length: calls }, (_, i) => [i, {}]));
    return fetch(`${app.url}/api/trpc/${paths}?batch=1&input=${encodeURIComponent(JSON.stringify(inputs))}`);
  };

  it("of more calls than the limit are refused at once, without running any", async () => {
    const startedAt = performance.now();
    const response = await batch(300);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { message: string } }[];
    expect(body[0]!.error.message).toBe(`A batch may hold at most ${MAX_BATCH_CALLS} calls; this one has 300. Send them in smaller batches.`);
    expect(performance.now() - startedAt).toBeLessThan(1_000);
  });

  it("up to the limit still run", async () => {
    const response = await batch(MAX_BATCH_CALLS);
    expect(response.status).toBe(200);
    expect(((await response.json()) as unknown[]).length).toBe(MAX_BATCH_CALLS);
  });
});
