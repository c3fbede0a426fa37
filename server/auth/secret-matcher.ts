import { createHash, timingSafeEqual } from "node:crypto";

const digest = (value: string) => createHash("sha256").update(value, "utf8").digest();

/**
 * Whether a given secret is the expected one, in constant time: both are hashed first, so neither
 * the time taken nor a length check tells a guesser anything.
 */
export function secretMatcher(expected: string): (given: string) => boolean {
  const wanted = digest(expected);
  return (given) => timingSafeEqual(digest(given), wanted);
}
