import { describe, expect, it } from 'vitest';
import { splitList } from './format';
import { importContentType } from './import-file';

describe('format', () => {
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
