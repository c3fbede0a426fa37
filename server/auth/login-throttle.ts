import ipaddr from "ipaddr.js";

/**
 * Who a guess is counted against: the address, or for IPv6 its /64, which one client usually
 * owns whole (rotating addresses inside it would otherwise reset the count).
 */
export function clientKey(address: string): string {
  if (!ipaddr.isValid(address)) return address;
  const parsed = ipaddr.process(address);
  if (parsed.kind() === "ipv4") return parsed.toString();
  return `${(parsed as ipaddr.IPv6).parts
    .slice(0, 4)
    .map((part) => part.toString(16))
    .join(":")}::/64`;
}

/** Wrong passwords from one client address within this window count towards a lock-out. */
const WINDOW_MS = 15 * 60 * 1000;
const MAX_WRONG = 10;
/** Every wrong password is answered this late: guessing costs time even below the lock-out. */
export const WRONG_PASSWORD_DELAY_MS = 1_000;
/** Bounds memory under a flood of distinct addresses; the oldest entries go first. */
const MAX_TRACKED = 10_000;

interface Failures {
  count: number;
  since: number;
}

/**
 * Slows password guessing per client address. Kept in memory: each process counts on its own,
 * which multiplies the allowance by the number of web processes but never locks anyone out
 * for longer than the window.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, Failures>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Seconds until this client may try again, or 0 when it may try now. */
  lockedFor(client: string): number {
    const entry = this.current(client);
    if (!entry || entry.count < MAX_WRONG) return 0;
    return Math.ceil((entry.since + WINDOW_MS - this.now()) / 1000);
  }

  recordWrong(client: string): void {
    const entry = this.current(client) ?? { count: 0, since: this.now() };
    entry.count += 1;
    this.failures.delete(client);
    this.failures.set(client, entry);
    if (this.failures.size > MAX_TRACKED) this.failures.delete(this.failures.keys().next().value!);
  }

  recordRight(client: string): void {
    this.failures.delete(client);
  }

  private current(client: string): Failures | undefined {
    const entry = this.failures.get(client);
    if (entry && this.now() - entry.since >= WINDOW_MS) {
      this.failures.delete(client);
      return undefined;
    }
    return entry;
  }
}
