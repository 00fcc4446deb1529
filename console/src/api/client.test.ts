import { describe, expect, it } from 'vitest';
import { buildUrl, toApiError } from './client';

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
