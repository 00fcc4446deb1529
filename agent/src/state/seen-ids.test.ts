import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SeenIds } from './seen-ids';

const hour = 3600_000;

describe('seen ids', () => {
  it('knows every id added, and no other, across growth', () => {
    const seen = new SeenIds();
    const ids = Array.from({ length: 5000 }, () => randomUUID());
    ids.forEach((id, n) => seen.add(id, Date.now() + n * 1000));
    expect(seen.size).toBe(5000);
    expect(ids.every((id) => seen.has(id))).toBe(true);
    expect(Array.from({ length: 5000 }, () => randomUUID()).some((id) => seen.has(id))).toBe(false);
    // time-ordered ids (UUIDv7: a shared millisecond prefix) spread as well
    const v7 = Array.from({ length: 1000 }, (_, n) => `0193a5b0-7c00-7${String(n).padStart(3, '0')}-8000-000000000000`);
    for (const id of v7) seen.add(id, Date.now() + hour);
    expect(v7.every((id) => seen.has(id))).toBe(true);
    expect(seen.has('0193a5b0-7c00-7999-8000-000000000001')).toBe(false);
  });

  it('costs at most 64 bytes an id in its packed arrays', () => {
    const seen = new SeenIds();
    for (let n = 0; n < 10_000; n++) seen.add(randomUUID(), Date.now() + hour);
    expect(seen.byteLength).toBeLessThanOrEqual(10_000 * 64);
  });

  it('forgets ids expired before the cutoff, keeps the rest findable, and gives memory back', () => {
    const seen = new SeenIds();
    const now = Date.now();
    const old = Array.from({ length: 3000 }, () => randomUUID());
    const fresh = Array.from({ length: 100 }, () => randomUUID());
    for (const id of old) seen.add(id, now - 2 * hour);
    for (const id of fresh) seen.add(id, now + hour);
    seen.add('not-a-uuid', now - 2 * hour);
    seen.add('NOT-A-UUID-EITHER', now + hour);
    const big = seen.byteLength;
    expect(seen.prune(now - hour)).toBe(3001);
    expect(seen.size).toBe(101);
    expect(old.some((id) => seen.has(id)) || seen.has('not-a-uuid')).toBe(false);
    expect(fresh.every((id) => seen.has(id)) && seen.has('NOT-A-UUID-EITHER')).toBe(true);
    expect(seen.byteLength).toBeLessThan(big / 8);
    expect(seen.prune(now - hour)).toBe(0);
  });

  it('keeps the later expiry of an id added twice, and never forgets one without a readable expiry', () => {
    const seen = new SeenIds();
    const now = Date.now();
    const [a, b] = [randomUUID(), randomUUID()];
    seen.add(a, now + hour);
    seen.add(a, now - hour);
    seen.add(b, Number.NaN);
    expect(seen.size).toBe(2);
    seen.prune(now + 365 * 24 * hour);
    expect(seen.has(a)).toBe(false);
    expect(seen.has(b)).toBe(true);
  });

  it('lists every id with its expiry, rounded up to the second', () => {
    const seen = new SeenIds();
    const id = randomUUID();
    seen.add(id, 1_700_000_000_500);
    seen.add('legacy-id', 1_700_000_000_000);
    expect([...seen.entries()].sort()).toEqual([[id, 1_700_000_001_000], ['legacy-id', 1_700_000_000_000]].sort());
  });
});
