/**
 * A fixed pause. Tests wait for conditions with `waitUntil`; a `sleep` is only for time passing
 * that is itself under test (a client that pauses on purpose, a window in which nothing may happen).
 */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Not there yet: `undefined` or `false`. Anything else is the value waited for. */
type Check<T> = () => T | undefined | false | Promise<T | undefined | false>;

/**
 * Polls `check` every `everyMs` until it returns a value, and returns that value. After `timeoutMs`
 * it fails naming what it waited for (`what` may be a function, to describe the last state seen).
 * An error thrown by `check` ends the wait at once.
 */
export async function waitUntil<T>(what: string | (() => string), check: Check<T>, timeoutMs: number, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === "string" ? what : what()}`);
    await sleep(everyMs);
  }
}
