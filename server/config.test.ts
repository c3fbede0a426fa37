import { describe, expect, it } from "vitest";
import { checkAccessConfig, loadConfig, metricsOpenWithoutCredential, StartupRefused } from "./config.js";

describe("start-up in production", () => {
  it("is refused without APP_PASSWORD unless AUTH_DISABLED=1 says so", () => {
    expect(() => checkAccessConfig(loadConfig({ NODE_ENV: "production" }))).toThrow(StartupRefused);
    expect(checkAccessConfig(loadConfig({ NODE_ENV: "production", AUTH_DISABLED: "1" })).warning).toMatch(/disabled/);
    expect(checkAccessConfig(loadConfig({ NODE_ENV: "production", APP_PASSWORD: "x" }))).toEqual({});
    expect(checkAccessConfig(loadConfig({ NODE_ENV: "development" }))).toEqual({});
  });
});

describe("GET /metrics without a credential", () => {
  it("is open only where the app is open on purpose and no METRICS_TOKEN asks for one", () => {
    const open = (env: Record<string, string>) => metricsOpenWithoutCredential(loadConfig(env));
    expect(open({})).toBe(true);
    expect(open({ NODE_ENV: "production", ROLE: "worker", AUTH_DISABLED: "1" })).toBe(true);
    // A production worker needs no password to start, and then keeps its metrics closed.
    expect(open({ NODE_ENV: "production", ROLE: "worker" })).toBe(false);
    expect(open({ APP_PASSWORD: "x" })).toBe(false);
    expect(open({ METRICS_TOKEN: "a-scraper-token-of-16+" })).toBe(false);
    expect(() => loadConfig({ METRICS_TOKEN: "short" })).toThrow(/METRICS_TOKEN/);
  });
});

describe("the configuration", () => {
  it("takes a variable set to an empty string as unset", () => {
    const config = loadConfig({ DATABASE_URL: "", PORT: "", TRUST_PROXY: "", APP_PASSWORD: "", WEBHOOK_RETRY_DELAYS: "" });
    expect(config.DATABASE_URL, "the embedded Postgres starts").toBeUndefined();
    expect(config.PORT).toBe(3000);
    expect(config.TRUST_PROXY).toBe(false);
    expect(config.APP_PASSWORD).toBeUndefined();
    expect(config.WEBHOOK_RETRY_DELAYS).toEqual([30, 120, 600, 1_800, 3_600, 7_200, 14_400, 28_800, 28_800, 43_200, 43_200, 43_200, 43_200]);
  });

  it("derives the upload and export caps from the pool unless they are set", () => {
    expect(loadConfig({})).toMatchObject({ DATABASE_POOL_SIZE: 12, MAX_CONCURRENT_UPLOADS: 4, MAX_CONCURRENT_EXPORTS: 3 });
    expect(loadConfig({ DATABASE_POOL_SIZE: "30" })).toMatchObject({ MAX_CONCURRENT_UPLOADS: 10, MAX_CONCURRENT_EXPORTS: 7 });
    expect(loadConfig({ DATABASE_POOL_SIZE: "4", MAX_CONCURRENT_UPLOADS: "2" })).toMatchObject({
      MAX_CONCURRENT_UPLOADS: 2,
      MAX_CONCURRENT_EXPORTS: 1,
    });
  });

  it("times every request but uploads, and asks uploads for a minimum pace that can be turned off", () => {
    expect(loadConfig({})).toMatchObject({ REQUEST_TIMEOUT_MS: 30_000, UPLOAD_MIN_BYTES_PER_SECOND: 10_240, UPLOAD_RATE_WINDOW_MS: 30_000 });
    expect(loadConfig({ UPLOAD_MIN_BYTES_PER_SECOND: "0" }).UPLOAD_MIN_BYTES_PER_SECOND).toBe(0);
    expect(() => loadConfig({ REQUEST_TIMEOUT_MS: "0" }), "requests cannot be left untimed").toThrow(/REQUEST_TIMEOUT_MS: /);
    expect(() => loadConfig({ UPLOAD_MIN_BYTES_PER_SECOND: "fast" })).toThrow(/UPLOAD_MIN_BYTES_PER_SECOND: /);
    expect(() => loadConfig({ UPLOAD_RATE_WINDOW_MS: "-1" })).toThrow(/UPLOAD_RATE_WINDOW_MS: /);
  });

  it("trusts no proxy unless one is named", () => {
    expect(loadConfig({}).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: "loopback" }).TRUST_PROXY).toBe("loopback");
    expect(loadConfig({ TRUST_PROXY: "2" }).TRUST_PROXY).toBe(2);
    expect(loadConfig({ TRUST_PROXY: "true" }).TRUST_PROXY).toBe(true);
  });

  it("stops the start with one line naming each bad setting", () => {
    expect(() => loadConfig({ PORT: "eighty", ROLE: "boss" })).toThrow(/^Invalid configuration: PORT: .*; ROLE: /);
    expect(() => loadConfig({ WEBHOOK_RETRY_DELAYS: "30,soon" })).toThrow(/WEBHOOK_RETRY_DELAYS: must be seconds separated by commas/);
  });
});
