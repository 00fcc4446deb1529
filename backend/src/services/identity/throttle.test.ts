import { describe, expect, it } from 'vitest';
import { FailureThrottle } from './throttle';

describe('FailureThrottle', () => {
  const policy = { free: 2, baseDelayMs: 1000, maxDelayMs: 5000, forgetMs: 60_000, maxKeys: 3 };

  it('lets the free failures through, then doubles the wait up to the cap', () => {
    const throttle = new FailureThrottle(policy);
    const waits: number[] = [];
    let now = 0;
    for (let i = 0; i < 6; i++) {
      now += throttle.waitMs('a', now);
      throttle.recordFailure('a', now);
      waits.push(throttle.waitMs('a', now));
    }
    expect(waits).toEqual([0, 0, 1000, 2000, 4000, 5000]);
    expect(throttle.waitMs('b', now)).toBe(0);
    expect(throttle.waitMs('a', now + 4000)).toBe(1000);
  });

  it('forgets a key after a quiet spell, on reset, and drops the oldest keys past the cap', () => {
    const throttle = new FailureThrottle(policy);
    for (let i = 0; i < 3; i++) throttle.recordFailure('a', 0);
    expect(throttle.waitMs('a', 0)).toBe(1000);
    expect(throttle.waitMs('a', 60_000)).toBe(0);
    for (let i = 0; i < 3; i++) throttle.recordFailure('b', 0);
    throttle.reset('b');
    expect(throttle.waitMs('b', 0)).toBe(0);
    for (const key of ['c', 'd', 'e', 'f']) for (let i = 0; i < 3; i++) throttle.recordFailure(key, 10);
    expect(throttle.waitMs('c', 10)).toBe(0);
    expect(throttle.waitMs('f', 10)).toBe(1000);
  });
});
