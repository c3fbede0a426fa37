import { describe, expect, it } from "vitest";
import { nextRunAfter } from "./feed-schedule.js";
import { SourceRefused } from "./sources/fetched-file.js";
import { fetchHttp, redirected } from "./sources/http-source.js";
import { fetchSftp } from "./sources/sftp-source.js";
import { readSourceUrl } from "./source-url.js";

const SETTINGS = { allowPrivateNetworks: false, timeoutMs: 1_000, retryDelaysMs: [], maxBytes: 1_000_000 };

describe("a schedule", () => {
  const after = new Date("2026-12-07T14:10:00Z");
  it("is a five-field cron expression or a preset, in UTC", () => {
    expect(nextRunAfter("0 6 * * *", after).toISOString()).toBe("2026-12-08T06:00:00.000Z");
    expect(nextRunAfter("*/30 * * * *", after).toISOString()).toBe("2026-12-07T14:30:00.000Z");
    expect(nextRunAfter("@hourly", after).toISOString()).toBe("2026-12-07T15:00:00.000Z");
    expect(nextRunAfter("@DAILY", after).toISOString()).toBe("2026-12-08T00:00:00.000Z");
  });

  it("that is not one is refused, naming why", () => {
    expect(() => nextRunAfter("0 0 6 * * *", after)).toThrow('Schedule: "0 0 6 * * *" has 6 fields; a schedule is 5');
    expect(() => nextRunAfter("0 25 * * *", after)).toThrow(/cannot be read/);
    expect(() => nextRunAfter("@yearly", after)).toThrow(/not a schedule this app knows/);
  });
});

describe("a source's URL", () => {
  it("takes credentials out of it", () => {
    expect(readSourceUrl("https://acme:p%40ss@supplier.example.com/x.csv")).toEqual({
      url: "https://supplier.example.com/x.csv",
      scheme: "http",
      username: "acme",
      password: "p@ss",
    });
    expect(readSourceUrl("sftp://files.example.com:2222/out/catalog.csv").scheme).toBe("sftp");
  });

  it("refuses other schemes and an sftp URL without a path", () => {
    expect(() => readSourceUrl("file:///etc/passwd")).toThrow("file:// is not a source this app fetches");
    expect(() => readSourceUrl("sftp://files.example.com")).toThrow("names the file's path");
  });
});

/** Literal addresses: refused before any connection is made (no DNS, no socket). */
describe("private sources", () => {
  it.each([
    "http://127.0.0.1:8080/catalog.csv",
    "http://10.0.0.7/catalog.csv",
    "https://[::1]/catalog.csv",
    "http://169.254.169.254/latest/meta-data/",
  ])("%s is refused over HTTP", async (url) => {
    await expect(fetchHttp({ url, headers: {}, username: null, password: null }, null, SETTINGS)).rejects.toThrow(SourceRefused);
    await expect(fetchHttp({ url, headers: {}, username: null, password: null }, null, SETTINGS)).rejects.toThrow(
      /feeds may only fetch from public addresses \(set FEED_ALLOW_PRIVATE_NETWORKS=1 to allow it\)/,
    );
  });

  it("is refused over SFTP", async () => {
    await expect(
      fetchSftp({ url: "sftp://192.168.1.20/out/catalog.csv", username: "a", password: "b", privateKey: null }, null, SETTINGS),
    ).rejects.toThrow(/192\.168\.1\.20, a private network address; feeds may only fetch from public addresses/);
  });

  it("a redirect keeps the feed's headers on the source's origin only, and goes nowhere but http(s)", () => {
    const headers = { Authorization: "Bearer abc", "X-Api-Key": "k", Accept: "*/*" };
    const from = new URL("https://supplier.example.com/export");
    expect(redirected(from, "/files/catalog.csv", headers)).toEqual({ url: new URL("https://supplier.example.com/files/catalog.csv"), headers });
    expect(redirected(from, "https://cdn.example.net/catalog.csv", headers).headers).toEqual({ Accept: "*/*" });
    expect(() => redirected(from, "file:///etc/passwd", headers)).toThrow("redirected to file://");
  });
});
