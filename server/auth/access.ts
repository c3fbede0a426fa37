import { createCookie } from "@remix-run/node";
import { createHmac } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { Config } from "../config.js";
import { Refusal } from "../refusal.js";
import { secretMatcher } from "./secret-matcher.js";
import { clientKey, LoginThrottle, WRONG_PASSWORD_DELAY_MS } from "./login-throttle.js";

export const SESSION_COOKIE = "pi_session";

/** A right password, or the refusal to answer with (401, or 429 with Retry-After once locked out). */
export type PasswordCheck = { ok: true } | { ok: false; refusal: Refusal };

/** Who may use the app: the password, the session cookie it buys, and the guessing brake. */
export interface Access {
  enabled: boolean;
  /** Compares in constant time; a wrong password is answered only after a delay. */
  checkPassword(given: string, client: string): Promise<PasswordCheck>;
  /** The Set-Cookie value of a new session. */
  startSession(options: { secure: boolean }): Promise<string>;
  /** The Set-Cookie value that ends the browser's session. */
  endSession(options: { secure: boolean }): Promise<string>;
  hasSession(cookieHeader: string | undefined): Promise<boolean>;
}

interface SessionValue {
  issuedAt: number;
}

/**
 * `installationSecret` is random and kept in the database: the cookie is signed with it and the
 * password, so a stolen cookie cannot be used to guess the password offline, while a new password
 * still ends every session. SESSION_SECRET, when set, signs instead.
 */
export function createAccess(config: Pick<Config, "APP_PASSWORD" | "SESSION_SECRET" | "SESSION_MAX_AGE_HOURS">, installationSecret: string): Access {
  const password = config.APP_PASSWORD;
  if (!password) {
    return {
      enabled: false,
      checkPassword: async () => ({ ok: true }),
      startSession: async () => "",
      endSession: async () => "",
      hasSession: async () => true,
    };
  }
  const isPassword = secretMatcher(password);
  const maxAgeMs = config.SESSION_MAX_AGE_HOURS * 60 * 60 * 1000;
  const secret = config.SESSION_SECRET ?? createHmac("sha256", installationSecret).update(password).digest("base64url");
  const cookie = createCookie(SESSION_COOKIE, {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    maxAge: Math.floor(maxAgeMs / 1000),
    secrets: [secret],
  });
  const throttle = new LoginThrottle();

  return {
    enabled: true,
    async checkPassword(given, address) {
      const client = clientKey(address);
      const lockedFor = throttle.lockedFor(client);
      if (lockedFor > 0) {
        const minutes = Math.ceil(lockedFor / 60);
        const message = `Too many wrong passwords from your address. Try again in ${minutes} minute${lockedFor > 60 ? "s" : ""}.`;
        return { ok: false, refusal: new Refusal("too_many", message, { retryAfterSeconds: lockedFor }) };
      }
      if (isPassword(given)) {
        throttle.recordRight(client);
        return { ok: true };
      }
      throttle.recordWrong(client);
      await sleep(WRONG_PASSWORD_DELAY_MS);
      return { ok: false, refusal: new Refusal("unauthorized", "That password is not right.") };
    },
    startSession: ({ secure }) => cookie.serialize({ issuedAt: Date.now() } satisfies SessionValue, { secure }),
    endSession: ({ secure }) => cookie.serialize("", { secure, maxAge: 0, expires: new Date(0) }),
    async hasSession(cookieHeader) {
      if (!cookieHeader?.includes(`${SESSION_COOKIE}=`)) return false;
      // A cookie whose signature does not verify parses as null.
      const value = (await cookie.parse(cookieHeader)) as SessionValue | null;
      const age = Date.now() - Number(value?.issuedAt);
      return age >= 0 && age < maxAgeMs;
    },
  };
}
