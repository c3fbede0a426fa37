import type { ApiTokenScope } from "../../db/schema.js";

/**
 * Who is calling: a person (a session, the password as a bearer, or anyone when no password is
 * set) or one of the API tokens, with its scope.
 */
export type Caller = { kind: "person" } | { kind: "token"; tokenId: string; scope: ApiTokenScope };

export const PERSON: Caller = { kind: "person" };
