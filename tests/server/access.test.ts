import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import path from "node:path";
import type { TRPCClientError } from "@trpc/client";
import type { AppRouter } from "../../server/web/client.js";
import { rawRequest } from "../support/raw-http.js";
import { startTestApp, type TestApp } from "../support/test-app.js";

const PASSWORD = "correct horse battery staple";
const ROOT = path.resolve(import.meta.dirname, "../..");

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ APP_PASSWORD: PASSWORD }, { pages: true });
});
afterAll(async () => {
  await app?.stop();
});

const bearer = { Authorization: `Bearer ${PASSWORD}` };
const list = (headers: Record<string, string> = {}) => fetch(`${app.url}/api/trpc/products.list?input=%7B%7D`, { headers, redirect: "manual" });

async function logIn(password: string) {
  return fetch(`${app.url}/login?next=%2Fimports`, {
    method: "POST",
    body: new URLSearchParams({ password }),
    redirect: "manual",
  });
}

/** The `name=value` part of a Set-Cookie header, to send back as a Cookie header. */
const cookieOf = (response: Response) => response.headers.get("set-cookie")!.split(";")[0]!;

describe("with APP_PASSWORD set", () => {
  it("keeps /healthz and the login page open", async () => {
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    const login = await fetch(`${app.url}/login`);
    expect(login.status).toBe(200);
    expect(await login.text()).toContain('name="password"');
  });

  it("sends pages to the login page and refuses every API without a session or the bearer password", async () => {
    const page = await fetch(`${app.url}/products?name=hat`, { redirect: "manual" });
    expect(page.status).toBe(303);
    expect(page.headers.get("location")).toBe("/login?next=%2Fproducts%3Fname%3Dhat");

    const trpc = await list();
    expect(trpc.status).toBe(401);
    const body = (await trpc.json()) as { error: { message: string; data: { code: string; stack?: string } } };
    expect(body.error.data.code).toBe("UNAUTHORIZED");
    expect(body.error.message).toContain("Authorization: Bearer");
    expect(body.error.data.stack, "no stack trace in error answers").toBeUndefined();

    for (const [method, route] of [
      ["POST", "/api/imports"],
      ["GET", "/api/imports/1/events"],
      ["GET", "/api/imports/1/errors.csv"],
      ["GET", "/api/products/export"],
    ] as const) {
      const response = await fetch(`${app.url}${route}`, {
        method,
        body: method === "POST" ? "sku,name\na,b\n" : undefined,
        headers: { "Content-Type": "text/csv" },
      });
      expect(response.status, `${method} ${route}`).toBe(401);
      expect(((await response.json()) as { error: string }).error).toContain("Log in first");
    }
    expect(await app.api.imports.list.query().catch((error: TRPCClientError<AppRouter>) => error.data?.code)).toContain("UNAUTHORIZED");
  });

  it("accepts the password as a bearer token, and answers a wrong one slowly", async () => {
    expect((await list(bearer)).status).toBe(200);
    const upload = await fetch(`${app.url}/api/imports?filename=bearer.csv`, {
      method: "POST",
      headers: { ...bearer, "Content-Type": "text/csv" },
      body: "sku,name\nbearer-1,Through the API\n",
    });
    expect(upload.status).toBe(202);

    const startedAt = performance.now();
    const wrong = await list({ Authorization: "Bearer guess" });
    expect(wrong.status).toBe(401);
    expect(performance.now() - startedAt, "a wrong password is answered after a delay").toBeGreaterThanOrEqual(900);
  });

  it("logs in with a signed httpOnly SameSite cookie, returns to the page asked for, and logs out", async () => {
    const wrong = await logIn("not it");
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("set-cookie")).toBeNull();
    expect(await wrong.text()).toContain("That password is not right.");

    const right = await logIn(PASSWORD);
    expect(right.status).toBe(302);
    expect(right.headers.get("location")).toBe("/imports");
    const setCookie = right.headers.get("set-cookie")!;
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const cookie = cookieOf(right);

    const imports = await fetch(`${app.url}/imports`, { headers: { Cookie: cookie }, redirect: "manual" });
    expect(imports.status).toBe(200);
    expect(await imports.text()).toContain("Log out");
    expect((await list({ Cookie: cookie })).status).toBe(200);

    // One changed character in the signed value is no session.
    const [name, value] = cookie.split("=") as [string, string];
    const tampered = `${name}=${value.slice(0, 5)}${value[5] === "A" ? "B" : "A"}${value.slice(6)}`;
    expect((await fetch(`${app.url}/imports`, { headers: { Cookie: tampered }, redirect: "manual" })).status).toBe(303);
    expect((await list({ Cookie: tampered })).status).toBe(401);

    const logout = await fetch(`${app.url}/logout`, { method: "POST", headers: { Cookie: cookie }, redirect: "manual" });
    expect(logout.status).toBe(302);
    expect(logout.headers.get("location")).toBe("/login");
    expect(logout.headers.get("set-cookie")).toMatch(/pi_session=;.*(Max-Age=0|Expires=Thu, 01 Jan 1970)/i);
  });

  it("never redirects to another site after logging in", async () => {
    for (const next of ["//evil.example/", "/\t/evil.example", "/\\evil.example", "https://evil.example/"]) {
      const response = await fetch(`${app.url}/login?next=${encodeURIComponent(next)}`, {
        method: "POST",
        body: new URLSearchParams({ password: PASSWORD }),
        redirect: "manual",
      });
      expect(response.headers.get("location"), next).toBe("/");
    }
  });

  it("lets no disguised path past the gate", async () => {
    for (const path of [
      "/build/../webhooks.data",
      "/build/%2e%2e/products",
      "/build/%2E%2E/products?index",
      "/api/trpcX/../../products",
      "/build\\..\\products",
    ]) {
      const response = await rawRequest(app.url, path, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: "intent=deleteAll",
      });
      expect(response.status, path).toBe(400);
      expect(response.body, path).not.toContain("whsec_");
    }
    const missingAsset = await rawRequest(app.url, "/build/not-there.js");
    expect(missingAsset.status).toBe(404);
    expect(JSON.parse(missingAsset.body)).toEqual({ error: "Not found." });
    const upperCase = await rawRequest(app.url, "/API/TRPC/products.list");
    expect(upperCase.status, "express routes /API/TRPC to tRPC: refused like /api/trpc").toBe(401);
    expect(JSON.parse(upperCase.body).error.data.code).toBe("UNAUTHORIZED");
  });

  it("reads no login body bigger than a password form", async () => {
    const big = await rawRequest(app.url, "/login", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": "100000" },
      body: `password=${"x".repeat(99_991)}`,
    }).catch(() => ({ status: 0 }));
    expect(big.status).toBe(413);
    const chunked = await rawRequest(app.url, "/login", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "Transfer-Encoding": "chunked" },
      body: "password=x",
    });
    expect(chunked.status).toBe(413);
  });

  it("answers a body that is not JSON with a short JSON error, no stack trace", async () => {
    const response = await fetch(`${app.url}/api/trpc/products.create`, {
      method: "POST",
      headers: { ...bearer, "Content-Type": "application/json" },
      body: "{not json",
    });
    expect(response.status).toBe(400);
    const body = await response.text();
    expect(body).not.toMatch(/at .*\.js|node_modules/);
  });

  it("sends security headers, with a CSP nonce on every inline script of the page", async () => {
    const response = await fetch(`${app.url}/login`);
    const csp = response.headers.get("content-security-policy")!;
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain("unsafe-inline");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
    const html = await response.text();
    const scripts = [...html.matchAll(/<script([^>]*)>/g)].map((match) => match[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    for (const attributes of scripts.filter((attributes) => !attributes.includes(" src="))) {
      expect(attributes, "inline script without the nonce").toContain(`nonce="${nonce}"`);
    }
    const again = (await fetch(`${app.url}/login`)).headers.get("content-security-policy");
    expect(again, "a fresh nonce per response").not.toBe(csp);
  });
});

describe("cross-site requests", () => {
  it("are refused for changes (with or without a password), and nothing changes", async () => {
    const open = await startTestApp();
    try {
      const attempt = (headers: Record<string, string>) =>
        fetch(`${open.url}/api/trpc/products.create`, {
          method: "POST",
          headers: { "Content-Type": "application/json", ...headers },
          body: JSON.stringify({ sku: `x-${Object.values(headers).join("-")}`, name: "Planted" }),
        });
      const fromEvilOrigin = await attempt({ Origin: "https://evil.example" });
      expect(fromEvilOrigin.status).toBe(403);
      expect(((await fromEvilOrigin.json()) as { error: string }).error).toContain("other sites");
      expect((await attempt({ "Sec-Fetch-Site": "cross-site", Origin: "https://evil.example" })).status).toBe(403);
      expect((await attempt({ "Sec-Fetch-Site": "same-site" })).status).toBe(403);
      const form = await fetch(`${open.url}/api/imports`, {
        method: "POST",
        headers: { "Content-Type": "text/csv", "Sec-Fetch-Site": "cross-site" },
        body: "sku,name\nplanted,Planted\n",
      });
      expect(form.status).toBe(403);
      expect((await open.products()).length, "nothing was created").toBe(0);

      expect((await attempt({ "Sec-Fetch-Site": "same-origin", Origin: open.url })).status).toBe(200);
      expect((await attempt({ Origin: open.url })).status).toBe(200);
      // Scripts and curl send neither header: they cannot carry a victim's cookie.
      expect((await attempt({})).status).toBe(200);
      expect((await open.products()).length).toBe(3);
    } finally {
      await open.stop();
    }
  });
});

describe("an app without a password", () => {
  it("answers only to localhost, IP addresses and ALLOWED_HOSTS (no DNS rebinding)", async () => {
    const open = await startTestApp({ ALLOWED_HOSTS: "catalog.internal" });
    try {
      const asHost = (host: string) => rawRequest(open.url, "/api/trpc/products.list", { headers: { Host: host } });
      const rebound = await asHost("attacker.example:3000");
      expect(rebound.status).toBe(403);
      expect(JSON.parse(rebound.body).error).toContain("ALLOWED_HOSTS");
      for (const host of ["localhost:3000", "127.0.0.1:3000", "[::1]:3000", "10.1.2.3", "app.localhost", "catalog.internal"]) {
        expect((await asHost(host)).status, host).toBe(200);
      }
      expect((await fetch(`${open.url}/healthz`, { headers: { Host: "attacker.example" } })).status, "health checks still answer").toBe(200);
    } finally {
      await open.stop();
    }
  });
});

describe("wrong passwords", () => {
  it("lock an address out after ten within the window, even for the right password", async () => {
    const guarded = await startTestApp({ APP_PASSWORD: PASSWORD });
    try {
      const guesses = await Promise.all(
        Array.from({ length: 10 }, (_, i) => fetch(`${guarded.url}/api/trpc/products.list`, { headers: { Authorization: `Bearer guess-${i}` } })),
      );
      expect(guesses.map((response) => response.status)).toEqual(Array(10).fill(401));
      const locked = await fetch(`${guarded.url}/api/trpc/products.list`, { headers: bearer });
      expect(locked.status).toBe(429);
      expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(800);
      expect(((await locked.json()) as { error: { message: string } }).error.message).toContain("Too many wrong passwords");
    } finally {
      await guarded.stop();
    }
  });
});

describe("start-up in production", () => {
  it("exits at once with one clear log line, before touching any database", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "main.ts"], {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: "production",
        APP_PASSWORD: "",
        AUTH_DISABLED: "",
        DATABASE_URL: "postgres://nobody@127.0.0.1:9/none",
        PORT: "0",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    const code = await new Promise((resolve) => child.on("exit", resolve));
    expect(code).toBe(1);
    const line = JSON.parse(output.trim().split("\n").at(-1)!) as { level: number; msg: string };
    expect(line.level).toBe(60);
    expect(line.msg).toContain("APP_PASSWORD is not set");
    expect(line.msg).toContain("AUTH_DISABLED=1");
  });
});
