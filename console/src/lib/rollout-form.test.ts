import { describe, expect, it } from 'vitest';
import { describeProgress, describeRings, parseRings } from './rollout-form';

describe('rollout form', () => {
  it('reads rings as typed: shares, tags and tag groups, with commas or arrows', () => {
    expect(parseRings('canary → 10% → 100%')).toEqual([{ tags: ['canary'] }, { percent: 10 }, { percent: 100 }]);
    expect(parseRings('1%, site:paris + dept:it, 100 %')).toEqual([{ percent: 1 }, { tags: ['site:paris', 'dept:it'] }, { percent: 100 }]);
    expect(parseRings(' , ')).toEqual([]);
  });

  it('says where a rollout stands', () => {
    const rings = [{ tags: ['canary'] }, { percent: 100 }];
    expect(describeRings(rings)).toBe('canary → 100%');
    expect(describeProgress({ rings, currentRing: 0, state: 'paused', progress: { pending: 0, sent: 0, updated: 1, failed: 1 } })).toBe('ring 1 of 2: 1 of 2 updated, 1 failed');
    expect(describeProgress({ rings, currentRing: 1, state: 'completed', progress: { pending: 0, sent: 0, updated: 5, failed: 0 } })).toBe('all 2 rings: 5 of 5 updated');
  });
});
