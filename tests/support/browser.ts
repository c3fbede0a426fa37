import { chromium, type Browser } from "playwright-core";
import { existsSync } from "node:fs";

const CANDIDATES = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter(Boolean) as string[];

/** Debian's Chromium, driven by playwright-core (browsers cannot be downloaded here). */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = CANDIDATES.find((candidate) => existsSync(candidate));
  if (!executablePath) throw new Error("Chromium is not installed: apt-get install -y chromium (or set CHROMIUM_PATH).");
  return chromium.launch({
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
}
