import { describe, expect, it } from "vitest";
import { sql } from "kysely";
import { Webhook } from "standardwebhooks";
import { createProductImporterClient } from "../../server/web/client.js";
import { webhookSuite } from "../support/webhook-suite.js";

/** Who may see an endpoint's signing secret: whoever holds it can sign messages its receivers accept. */
const PASSWORD = "correct horse battery staple";
const suite = webhookSuite({ APP_PASSWORD: PASSWORD }, { pages: true });

const clientWith = (token: string) => createProductImporterClient(suite.app.url, { token });
const admin = () => clientWith(PASSWORD);
const tokenOf = async (scope: "read" | "write") => (await admin().apiTokens.create.mutate({ name: `${scope} ${Math.random()}`, scope })).token;
const failure = async (call: Promise<unknown>) => {
  try {
    await call;
  } catch (error) {
    const { data, message } = error as { data?: { code?: string }; message: string };
    return { code: data?.code, message };
  }
  throw new Error("the call succeeded");
};

async function signedInCookie(): Promise<string> {
  const login = await fetch(`${suite.app.url}/login`, { method: "POST", body: new URLSearchParams({ password: PASSWORD }), redirect: "manual" });
  return login.headers.get("set-cookie")!.split(";")[0]!;
}

/** A tRPC mutation as a browser sends it: the session cookie, and where the page that sent it came from. */
const browserCall = (procedure: string, input: unknown, headers: Record<string, string>) =>
  fetch(`${suite.app.url}/api/trpc/${procedure}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: JSON.stringify(input),
  });

describe("an endpoint's signing secret", () => {
  it("is never in what a read token can read (list, get, alerts: only its hint), and revealSecret refuses a read token", async () => {
    const created = await admin().webhooks.create.mutate({ url: "http://127.0.0.1:9/hooks", events: ["products.deleted_all"] });
    expect(created.secret).toMatch(/^whsec_/);
    const hint = `whsec_…${created.secret.slice(-4)}`;
    const reader = clientWith(await tokenOf("read"));

    expect(await reader.webhooks.list.query({})).toEqual([expect.objectContaining({ id: created.id, secret: null, secretHint: hint })]);
    expect(await reader.webhooks.get.query({ id: created.id })).toMatchObject({ secret: null, secretHint: hint });
    await sql`UPDATE webhooks SET failing_since = now() - interval '2 hours'`.execute(suite.app.database.db);
    const alerts = await reader.webhooks.alerts.query({});
    expect(alerts.endpoints).toEqual([expect.objectContaining({ id: created.id, secret: null, secretHint: hint })]);
    const answers = [await reader.webhooks.list.query({}), await reader.webhooks.get.query({ id: created.id }), alerts];
    for (const answer of answers) expect(JSON.stringify(answer)).not.toContain(created.secret.slice("whsec_".length));

    expect(await failure(reader.webhooks.revealSecret.mutate({ id: created.id }))).toEqual({
      code: "FORBIDDEN",
      message: expect.stringMatching(/may only read/),
    });
  });

  it("is revealed to a write token, the password and a signed-in person, and is the one deliveries are signed with", async () => {
    const target = await suite.receiver();
    const created = await admin().webhooks.create.mutate({ url: target.url, events: ["products.deleted_all"] });
    const writer = clientWith(await tokenOf("write"));
    expect(await writer.webhooks.revealSecret.mutate({ id: created.id })).toEqual({ id: created.id, secret: created.secret });
    expect(await admin().webhooks.revealSecret.mutate({ id: created.id })).toEqual({ id: created.id, secret: created.secret });
    const cookie = await signedInCookie();
    const fromPage = await browserCall("webhooks.revealSecret", { id: created.id }, { Cookie: cookie, "Sec-Fetch-Site": "same-origin" });
    expect(((await fromPage.json()) as { result: { data: unknown } }).result.data).toEqual({ id: created.id, secret: created.secret });
    // The Reveal button before JavaScript: a form POST, answered with a page that shows it and is kept by no cache.
    const form = await fetch(`${suite.app.url}/webhooks/${created.id}/reveal`, {
      method: "POST",
      headers: { Cookie: cookie, "Sec-Fetch-Site": "same-origin" },
      body: new URLSearchParams({}),
    });
    expect(form.status).toBe(200);
    expect(form.headers.get("cache-control")).toBe("no-store");
    expect(await form.text()).toContain(created.secret);

    const rotated = await writer.webhooks.rotateSecret.mutate({ id: created.id, overlapHours: 0 });
    expect(rotated.secret).not.toBe(created.secret);
    const revealed = await writer.webhooks.revealSecret.mutate({ id: created.id });
    expect(revealed.secret).toBe(rotated.secret);
    expect((await writer.webhooks.get.query({ id: created.id })).secretHint).toBe(`whsec_…${rotated.secret.slice(-4)}`);

    await writer.products.deleteAll.mutate({});
    const [delivery] = await target.waitFor(1);
    const message = new Webhook(revealed.secret).verify(delivery!.body, delivery!.headers as Record<string, string>) as { type: string };
    expect(message.type).toBe("products.deleted_all");
  });

  it("cannot be revealed by a page on another site, through the API or the Webhooks page, even for someone signed in", async () => {
    const created = await admin().webhooks.create.mutate({ url: "http://127.0.0.1:9/hooks", events: ["product.created"] });
    const cookie = await signedInCookie();
    const api = await browserCall(
      "webhooks.revealSecret",
      { id: created.id },
      { Cookie: cookie, "Sec-Fetch-Site": "cross-site", Origin: "https://evil.test" },
    );
    expect(api.status).toBe(403);
    expect(await api.text()).not.toContain(created.secret);
    const page = await fetch(`${suite.app.url}/webhooks/${created.id}/reveal`, {
      method: "POST",
      headers: { Cookie: cookie, "Sec-Fetch-Site": "cross-site", Origin: "https://evil.test" },
      body: new URLSearchParams({}),
      redirect: "manual",
    });
    expect(page.status).toBe(403);
    expect(await page.text()).not.toContain(created.secret);
  });
});
