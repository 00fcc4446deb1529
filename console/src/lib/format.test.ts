import { describe, expect, it } from 'vitest';
import { describeDetails, formatDuration, splitList } from './format';
import { importContentType } from './import-file';

describe('format', () => {
  it('shows durations in the largest whole unit', () => {
    expect(formatDuration(300)).toBe('5 min');
    expect(formatDuration(86400)).toBe('1 day');
    expect(formatDuration(7200)).toBe('2 h');
    expect(formatDuration(90)).toBe('90 s');
  });

  it('describes audit details as short lines', () => {
    expect(describeDetails({ name: 'ops', roles: ['a', 'b'], long: 'x'.repeat(100) }, 10)).toEqual(['name: ops', 'roles: ["a","b"]', 'long: xxxxxxxxx…']);
  });

  it('splits lists on commas and new lines, without blanks or repeats', () => {
    expect(splitList(' a, b,\n a ,, c ')).toEqual(['a', 'b', 'c']);
  });

  it('picks the import content type from the file name, else from the content', () => {
    expect(importContentType('x.action.json', '')).toBe('application/json');
    expect(importContentType('x.action.YML', '{')).toBe('application/yaml');
    expect(importContentType('x.txt', '  {"kind":1}')).toBe('application/json');
    expect(importContentType('x.txt', 'kind: fixpoint/action')).toBe('application/yaml');
  });
});
