import { describe, expect, it } from 'vitest';
import { describeLabel, isLabel, kindLabel, splitLabel } from './principals';

describe('labels in words', () => {
  const id = '3f2a9c1e-1111-4222-8333-444455556666';
  it('names the object a label points at, or shortens an id nobody resolved', () => {
    const names = new Map([[`schedule:${id}`, 'Disk usage']]);
    expect(describeLabel(`schedule:${id}`, names)).toBe('schedule: Disk usage');
    expect(describeLabel(`detection:${id}`, names)).toBe('detection rule 3f2a9c1e…');
    expect(describeLabel('user:ana@example.com', names)).toBe('ana@example.com');
    expect(describeLabel('role:support', names)).toBe('role: support');
    expect(describeLabel('client:fp_abc', names)).toBe('API client: fp_abc');
    expect(describeLabel('system', names)).toBe('system');
  });

  it('splits kind and id, keeping colons in the id', () => {
    expect(splitLabel('campaign-schedule:a:b')).toEqual({ kind: 'campaign-schedule', id: 'a:b' });
    expect(kindLabel('enrollment-token')).toBe('enrollment token');
    expect(kindLabel('some-new-kind')).toBe('some new kind');
    expect(isLabel('user:ana@example.com')).toBe(true);
    expect(isLabel('enrollment-token:abc')).toBe(true);
    expect(isLabel('devices | where x')).toBe(false);
    expect(isLabel('note: hello world')).toBe(false);
  });
});
