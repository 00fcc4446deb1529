import { describe, expect, it } from 'vitest';
import { LoginLimiter } from './rate-limit';

describe('LoginLimiter', () => {
  it('limits after maxFailures within the window and reports when to retry', () => {
    const limiter = new LoginLimiter({ maxFailures: 3, windowMs: 60_000, maxKeys: 100 });
    for (let i = 0; i < 3; i++) {
      expect(limiter.check('a', 1000).limited).toBe(false);
      limiter.recordFailure('a', 1000 + i);
    }
    expect(limiter.check('a', 2000)).toEqual({ limited: true, retryAfterSec: 59 });
    expect(limiter.check('b', 2000).limited).toBe(false);
    expect(limiter.check('a', 61_000).limited).toBe(false);
  });

  it('forgets a key after a success', () => {
    const limiter = new LoginLimiter({ maxFailures: 1, windowMs: 60_000, maxKeys: 100 });
    limiter.recordFailure('a', 0);
    expect(limiter.check('a', 1).limited).toBe(true);
    limiter.reset('a');
    expect(limiter.check('a', 1).limited).toBe(false);
  });

  it('stays within maxKeys under a flood of addresses, dropping the oldest first', () => {
    const limiter = new LoginLimiter({ maxFailures: 1, windowMs: 60_000, maxKeys: 10 });
    for (let i = 0; i < 1000; i++) limiter.recordFailure(`k${i}`, i);
    expect((limiter as unknown as { failures: Map<string, unknown> }).failures.size).toBeLessThanOrEqual(10);
    expect(limiter.check('k999', 1000).limited).toBe(true);
    expect(limiter.check('k0', 1000).limited).toBe(false);
  });
});
