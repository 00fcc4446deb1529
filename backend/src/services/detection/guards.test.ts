import { describe, expect, it } from 'vitest';
import { DetectionGuards } from '@fixpoint/protocol';
import { canarySize, judge, type Candidate, type RuleSnapshot } from './guards';

const now = new Date('2025-05-01T12:00:00Z');
const ago = (s: number) => new Date(now.getTime() - s * 1000);
const rule = (over: Partial<RuleSnapshot> = {}, guards: Partial<DetectionGuards> = {}): RuleSnapshot => ({
  enabled: true,
  pausedByBreaker: false,
  ownerProblem: null,
  guards: DetectionGuards.parse({ canaryPercent: 0, ...guards }),
  canaryPassed: false,
  matching: 10,
  cohort: new Set(),
  inFlight: 0,
  platforms: new Set(['windows', 'linux']),
  ...over,
});
const device = (id: string, over: Partial<Candidate> = {}): Candidate => ({
  deviceId: id, platform: 'windows', pending: true, attempts: 0, inFlight: false, lastFiredAt: null, runsLastDay: 0, oldestRunLastDay: null, ...over,
});
const verdicts = (r: RuleSnapshot, cs: Candidate[]) => judge(now, r, cs).map((v) => v.verdict);

describe('judge', () => {
  it('fires a device that started matching', () => {
    expect(judge(now, rule(), [device('a')])).toEqual([{ deviceId: 'a', verdict: 'fires', detail: 'started matching' }]);
  });

  it('blocks everything while disabled or paused', () => {
    expect(verdicts(rule({ enabled: false }), [device('a')])).toEqual(['disabled']);
    expect(verdicts(rule({ pausedByBreaker: true }), [device('a')])).toEqual(['paused']);
    expect(judge(now, rule({ ownerProblem: 'no owner' }), [device('a')])[0]).toMatchObject({ verdict: 'paused', detail: expect.stringMatching(/^paused: no owner/) });
  });

  it('skips devices in flight, already handled, or without a script', () => {
    expect(verdicts(rule(), [device('a', { inFlight: true }), device('b', { pending: false, attempts: 1 }), device('c', { platform: 'macos' })])).toEqual([
      'in_flight', 'already_handled', 'no_script',
    ]);
  });

  it('allows at most maxAttempts while the device keeps matching', () => {
    const [v] = judge(now, rule({}, { cooldownSec: 0 }), [device('a', { attempts: 3 })]);
    expect(v).toMatchObject({ verdict: 'max_attempts', exhausted: true });
    expect(verdicts(rule({}, { cooldownSec: 0, maxAttempts: 2 }), [device('a', { attempts: 1 }), device('b', { attempts: 2 })])).toEqual(['fires', 'max_attempts']);
  });

  it('holds a device through its cooldown', () => {
    const [v] = judge(now, rule({}, { cooldownSec: 600 }), [device('a', { attempts: 1, lastFiredAt: ago(60) })]);
    expect(v).toMatchObject({ verdict: 'cooldown', notBefore: new Date(now.getTime() + 540_000) });
    expect(v!.detail).toBe('cooling down for 9 min');
    expect(judge(now, rule({}, { cooldownSec: 3600 }), [device('a', { attempts: 1, lastFiredAt: ago(16 * 60) })])[0]!.detail).toBe('cooling down for 44 min');
    expect(verdicts(rule({}, { cooldownSec: 600 }), [device('a', { attempts: 1, lastFiredAt: ago(600) })])).toEqual(['fires']);
  });

  it('limits runs per device per day, until the oldest leaves the window', () => {
    const [v] = judge(now, rule({}, { cooldownSec: 0, maxRunsPerDevicePerDay: 2 }), [device('a', { runsLastDay: 2, oldestRunLastDay: ago(3600) })]);
    expect(v).toMatchObject({ verdict: 'daily_limit', notBefore: new Date(now.getTime() + 23 * 3600_000) });
    expect(v!.detail).toBe('2 runs in the last 24 h (limit 2); the next in 23 h');
  });

  it('caps runs in flight fleet-wide, counting the ones it fires', () => {
    const cs = ['a', 'b', 'c', 'd'].map((id) => device(id));
    expect(verdicts(rule({ inFlight: 1 }, { maxConcurrent: 3 }), cs)).toEqual(['fires', 'fires', 'concurrency_cap', 'concurrency_cap']);
  });

  it('runs the canary first, then the rest once it passed', () => {
    const cs = Array.from({ length: 10 }, (_, i) => device(`d${i}`));
    // 20 % of 10 matching devices: two canaries
    expect(verdicts(rule({}, { canaryPercent: 20 }), cs).filter((v) => v === 'fires')).toHaveLength(2);
    // a canary device retries while others wait
    expect(verdicts(rule({ cohort: new Set(['d0', 'd1']) }, { canaryPercent: 20, cooldownSec: 0 }), [device('d5'), device('d1', { attempts: 1 })])).toEqual(['canary', 'fires']);
    expect(verdicts(rule({ canaryPassed: true, cohort: new Set(['d0', 'd1']) }, { canaryPercent: 20 }), cs).every((v) => v === 'fires')).toBe(true);
  });

  it('sizes the canary as a share of the matching devices, at least one', () => {
    expect(canarySize(0, 100)).toBe(0);
    expect(canarySize(10, 5)).toBe(1);
    expect(canarySize(10, 101)).toBe(11);
    expect(canarySize(100, 7)).toBe(7);
  });
});
