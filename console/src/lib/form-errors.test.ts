import { describe, expect, it } from 'vitest';
import { detailsToErrors, errorFor, issuesToErrors, summarizeErrors } from './form-errors';

describe('form errors', () => {
  it('keeps the first message per path and finds nested ones', () => {
    const errors = issuesToErrors([
      { path: ['name'], message: 'first' },
      { path: ['name'], message: 'second' },
      { path: ['deviceScope', 'tags', 2], message: 'bad tag' },
      { path: [], message: 'whole form' },
    ]);
    expect(errors).toEqual({ name: 'first', 'deviceScope.tags.2': 'bad tag', '': 'whole form' });
    expect(errorFor(errors, 'deviceScope.tags')).toBe('bad tag');
    expect(errorFor(errors, 'deviceScope.tag')).toBeUndefined();
    expect(summarizeErrors(errors)).toEqual(['name: first', 'deviceScope.tags.2: bad tag', 'whole form']);
  });

  it('reads validation details from the API and ignores anything else', () => {
    expect(detailsToErrors([{ path: 'slug', message: 'taken' }, { nope: 1 }, null])).toEqual({ slug: 'taken' });
    expect(detailsToErrors('x')).toEqual({});
  });
});
