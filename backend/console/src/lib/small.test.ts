import { describe, expect, it } from 'vitest';
import { buildUrl, toApiError } from '../api/client';
import { detailsToErrors, errorFor, issuesToErrors, summarizeErrors } from './form-errors';
import { describeDetails, formatDuration, splitList } from './format';
import { importContentType } from './import-file';

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

describe('api client', () => {
  it('builds /api/v1 URLs without empty query values', () => {
    expect(buildUrl('/actions', { q: 'a b', purpose: undefined, archived: false, platform: '' })).toBe('/api/v1/actions?q=a+b&archived=false');
  });

  it('turns an error body into a typed error, and anything else into a generic one', async () => {
    const typed = await toApiError(new Response(JSON.stringify({ error: { code: 'conflict', message: 'newer version exists' } }), { status: 409 }));
    expect(typed).toMatchObject({ status: 409, code: 'conflict', message: 'newer version exists' });
    const html = await toApiError(new Response('<h1>Bad gateway</h1>', { status: 502, statusText: 'Bad Gateway' }));
    expect(html).toMatchObject({ status: 502, code: 'unexpected', message: 'the server answered 502 Bad Gateway' });
  });
});
