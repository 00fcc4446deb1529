/** @module Progressive delays after failed sign-ins and token requests, per account or client id and per address. */

export interface ThrottlePolicy {
  /** Failures allowed before any wait. */
  free: number;
  /** The wait after the first failure past `free`; it doubles with each further failure. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A key with no failure for this long starts over. */
  forgetMs: number;
  /** Keys kept at most; the oldest are dropped first, so a flood of addresses cannot grow memory. */
  maxKeys: number;
}

/**
 * Per account (e-mail or OAuth client id): five free failures, then 1 s, 2 s, 4 s… up to one minute. The wait is
 * short on purpose: anyone may fail against any account, and the account's owner must never be shut out for long.
 */
export const accountPolicy: ThrottlePolicy = { free: 5, baseDelayMs: 1000, maxDelayMs: 60_000, forgetMs: 15 * 60_000, maxKeys: 50_000 };

/**
 * Per client address, across all accounts: twenty free failures, then doubling up to 15 minutes, so trying one
 * password on many accounts is slowed. Only the address's own sender (or a shared untrusted proxy) waits.
 */
export const addressPolicy: ThrottlePolicy = { free: 20, baseDelayMs: 1000, maxDelayMs: 15 * 60_000, forgetMs: 60 * 60_000, maxKeys: 50_000 };

/** Counts failures per key; after `free` of them the next attempt must wait before it is even checked. */
export class FailureThrottle {
  private readonly entries = new Map<string, { failures: number; lastMs: number }>();

  constructor(readonly policy: ThrottlePolicy) {}

  /** Milliseconds before this key may try again; 0 when it may try now. */
  waitMs(key: string, nowMs: number): number {
    const entry = this.entries.get(key);
    if (!entry) return 0;
    if (nowMs - entry.lastMs >= this.policy.forgetMs) {
      this.entries.delete(key);
      return 0;
    }
    return Math.max(0, entry.lastMs + this.delayAfter(entry.failures) - nowMs);
  }

  recordFailure(key: string, nowMs: number): void {
    const entry = this.entries.get(key);
    const failures = entry && nowMs - entry.lastMs < this.policy.forgetMs ? entry.failures + 1 : 1;
    // Re-inserting keeps the map in order of last failure, which is what pruning drops from.
    this.entries.delete(key);
    if (this.entries.size >= this.policy.maxKeys) this.prune(nowMs);
    this.entries.set(key, { failures, lastMs: nowMs });
  }

  reset(key: string): void {
    this.entries.delete(key);
  }

  private delayAfter(failures: number): number {
    const over = failures - this.policy.free;
    if (over <= 0) return 0;
    return Math.min(this.policy.maxDelayMs, this.policy.baseDelayMs * 2 ** Math.min(over - 1, 30));
  }

  private prune(nowMs: number): void {
    for (const [key, entry] of this.entries) if (nowMs - entry.lastMs >= this.policy.forgetMs) this.entries.delete(key);
    for (const key of this.entries.keys()) {
      if (this.entries.size < this.policy.maxKeys) break;
      this.entries.delete(key);
    }
  }
}
