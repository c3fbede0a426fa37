import type { Request } from "express";
import type { Refusal } from "../refusal.js";
import type { Access } from "./access.js";

export type LogInResult = { ok: true; setCookie: string } | { ok: false; refusal: Refusal };

/** What the login and logout pages may do, bound to the request they answer. */
export interface PageAccess {
  enabled: boolean;
  hasSession(): Promise<boolean>;
  logIn(password: string): Promise<LogInResult>;
  /** The Set-Cookie value that ends the session. */
  logOut(): Promise<string>;
}

export function pageAccess(access: Access, req: Request): PageAccess {
  const secure = req.secure;
  return {
    enabled: access.enabled,
    hasSession: () => access.hasSession(req.get("cookie")),
    async logIn(password) {
      const check = await access.checkPassword(password, req.ip ?? "unknown");
      if (!check.ok) {
        req.log.warn({ status: check.refusal.status }, "login refused");
        return { ok: false, refusal: check.refusal };
      }
      req.log.info("logged in");
      return { ok: true, setCookie: await access.startSession({ secure }) };
    },
    logOut: () => access.endSession({ secure }),
  };
}
