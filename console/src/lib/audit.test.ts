import { describe, expect, it } from 'vitest';
import { describeVerify } from './audit';

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
