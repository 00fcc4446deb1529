/** @module In-memory limit on failed sign-ins, per e-mail address and client IP. */
import type { AppContext } from '../../context';

export interface LoginLimits {
  maxFailures: number;
  windowMs: number;
  /** Keys kept at most; the oldest windows are dropped first so a flood of addresses cannot grow memory. */
  maxKeys: number;
}

export const defaultLoginLimits: LoginLimits = { maxFailures: 10, windowMs: 15 * 60_000, maxKeys: 50_000 };

/**
 * Counts failures in a fixed window that starts at the first failure. Memory only: each backend instance limits
 * on its own, which still caps guessing at instances × maxFailures per window.
 */
export class LoginLimiter {
  private readonly failures = new Map<string, { count: number; since: number }>();

  constructor(private readonly limits: LoginLimits = defaultLoginLimits) {}

  /** Whether this key has used up its failures; also returns when it may try again. */
  check(key: string, nowMs: number): { limited: boolean; retryAfterSec: number } {
    const entry = this.failures.get(key);
    if (!entry || nowMs - entry.since >= this.limits.windowMs) return { limited: false, retryAfterSec: 0 };
    const limited = entry.count >= this.limits.maxFailures;
    return { limited, retryAfterSec: limited ? Math.ceil((entry.since + this.limits.windowMs - nowMs) / 1000) : 0 };
  }

  recordFailure(key: string, nowMs: number): void {
    const entry = this.failures.get(key);
    if (entry && nowMs - entry.since < this.limits.windowMs) {
      entry.count++;
      return;
    }
    this.failures.delete(key);
    if (this.failures.size >= this.limits.maxKeys) this.prune(nowMs);
    this.failures.set(key, { count: 1, since: nowMs });
  }

  reset(key: string): void {
    this.failures.delete(key);
  }

  private prune(nowMs: number): void {
    for (const [key, entry] of this.failures) if (nowMs - entry.since >= this.limits.windowMs) this.failures.delete(key);
    // Map iteration is insertion order, so what remains past the cap are the oldest windows.
    for (const key of this.failures.keys()) {
      if (this.failures.size < this.limits.maxKeys) break;
      this.failures.delete(key);
    }
  }
}

// One limiter per backend context rather than per module, so test backends in one process do not share counts.
const limiters = new WeakMap<AppContext, LoginLimiter>();

export function loginLimiterFor(ctx: AppContext): LoginLimiter {
  let limiter = limiters.get(ctx);
  if (!limiter) limiters.set(ctx, (limiter = new LoginLimiter()));
  return limiter;
}
