import { chromium, type Browser, type Page } from "playwright-core";
import { existsSync } from "node:fs";

const CANDIDATES = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter(Boolean) as string[];

/** Debian's Chromium, driven by playwright-core (browsers cannot be downloaded here). */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = CANDIDATES.find((candidate) => existsSync(candidate));
  if (!executablePath) throw new Error("Chromium is not installed: apt-get install -y chromium (or set CHROMIUM_PATH).");
  const browser = await chromium.launch({
    executablePath,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return recordCspViolations(browser);
}

const violations = new WeakMap<Browser, string[]>();

/**
 * What the Content-Security-Policy blocked on any page of this browser: Chromium reports each
 * refusal as a console error. A test asserting the list is empty proves the UI runs under the policy.
 */
export const cspViolations = (browser: Browser): string[] => violations.get(browser) ?? [];

function recordCspViolations(browser: Browser): Browser {
  const seen: string[] = [];
  violations.set(browser, seen);
  const newPage = browser.newPage.bind(browser);
  browser.newPage = async (...args: Parameters<Browser["newPage"]>) => {
    const page: Page = await newPage(...args);
    page.on("console", (message) => {
      if (message.type() === "error" && /Content Security Policy/i.test(message.text())) seen.push(`${page.url()}: ${message.text()}`);
    });
    return page;
  };
  return browser;
}
