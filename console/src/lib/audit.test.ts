import { describe, expect, it } from 'vitest';
import { actionVerb, describeVerify, diffDetails, localInputToIso, previousDetails } from './audit';

const base = { checked: 12, head: 12, checkpoints: 9, lastCheckpoint: { seq: 12, at: '2026-03-01T10:00:00.123456Z' }, unanchored: 0 };

describe('audit chain check', () => {
  it('states an intact chain with what anchors it', () => {
    const lines = describeVerify({ ...base, ok: true, brokenAt: null, reason: null, problem: null });
    expect(lines[0]).toBe('The chain is intact: 12 entries checked.');
    expect(lines[1]).toMatch(/^Newest entry: 12\. 9 signed checkpoints match; the newest covers entry 12 \(/);
    expect(lines).toHaveLength(2);
  });

  it('names the problem, the first bad entry and entries not yet covered', () => {
    const lines = describeVerify({
      ...base, ok: false, brokenAt: 11, problem: 'truncated', reason: 'entries 11–12 were removed', head: 10, lastCheckpoint: null, checkpoints: 0, unanchored: 3,
    });
    expect(lines[0]).toContain('broken at entry 11: the newest entries were removed. entries 11–12 were removed');
    expect(lines[1]).toBe('Newest entry: 10. No signed checkpoint yet.');
    expect(lines[2]).toMatch(/^3 entries written before checkpoints/);
  });
});

describe('audit entries in words', () => {
  const entry = (seq: number, target: string | null, details: Record<string, unknown>, action = 'webhook.update') => ({
    seq, at: '2026-03-01T10:00:00Z', actor: 'user:ana@example.com', action, target, details, prevHash: '', hash: '',
  });

  it('shows details as a diff against the last entry about the same object', () => {
    const entries = [
      entry(5, 'webhook:w1', { name: 'Tickets', url: null }, 'webhook.test'),
      entry(4, 'webhook:w1', { enabled: false, name: 'Tickets' }),
      entry(3, 'role:x', { a: 1 }),
      entry(2, 'webhook:w1', { name: 'Tickets', enabled: true, events: ['a', 'b'] }, 'webhook.create'),
    ];
    const previous = previousDetails(entries);
    expect(previous.get(2)).toBeNull();
    expect(previous.get(3)).toBeNull();
    // An event is not compared with what came before: its details are all new.
    expect(previous.get(5)).toBeNull();
    expect(diffDetails(entries[0]!.details, null)).toEqual([
      { key: 'name', kind: 'added', after: 'Tickets' },
      { key: 'url', kind: 'added', after: '—' },
    ]);
    expect(diffDetails({ intervalSec: 3600, cooldownSec: 600 }, { cooldownSec: 300 })).toEqual([
      { key: 'intervalSec', kind: 'added', after: '1 h' },
      { key: 'cooldownSec', kind: 'changed', before: '5 min', after: '10 min' },
    ]);
    expect(diffDetails(entries[1]!.details, previous.get(4)!)).toEqual([
      { key: 'enabled', kind: 'changed', before: 'yes', after: 'no' },
      { key: 'name', kind: 'same', after: 'Tickets' },
    ]);
    expect(diffDetails(entries[3]!.details, null)).toEqual([
      { key: 'name', kind: 'added', after: 'Tickets' },
      { key: 'enabled', kind: 'added', after: 'yes' },
      { key: 'events', kind: 'added', after: 'a, b' },
    ]);
  });

  it('says the verb, and reads the time filter in local time', () => {
    expect(actionVerb('role.create')).toBe('created');
    expect(actionVerb('auth.login')).toBe('signed in as');
    expect(actionVerb('campaign.schedule.delete')).toBe('deleted');
    expect(actionVerb('odd')).toBe('odd');
    expect(localInputToIso('')).toBeUndefined();
    expect(localInputToIso('nonsense')).toBeUndefined();
    expect(localInputToIso('2026-03-01T10:00')).toBe(new Date(2026, 2, 1, 10, 0).toISOString());
  });
});
