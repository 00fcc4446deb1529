import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildUrl, client, onUnauthenticated, toApiError } from './client';
import { actionsApi, authApi } from './resources';

afterEach(() => vi.unstubAllGlobals());

describe('api client', () => {
  it('builds /api/v1 URLs without empty query values', () => {
    expect(buildUrl('/actions', undefined, { q: 'a b', purpose: undefined, archived: false, platform: '' })).toBe('/api/v1/actions?q=a+b&archived=false');
    expect(actionsApi.exportUrl('disk check', 'json', 3)).toBe('/api/v1/actions/disk%20check/export?format=json&version=3');
  });

  it('turns an error body into a typed error, and anything else into a generic one', async () => {
    const typed = await toApiError(new Response(JSON.stringify({ error: { code: 'conflict', message: 'newer version exists' } }), { status: 409 }));
    expect(typed).toMatchObject({ status: 409, code: 'conflict', message: 'newer version exists' });
    const html = await toApiError(new Response('<h1>Bad gateway</h1>', { status: 502, statusText: 'Bad Gateway' }));
    expect(html).toMatchObject({ status: 502, code: 'unexpected', message: 'the server answered 502 Bad Gateway' });
  });

  it('sends the user to sign in on a 401, except for a wrong password at sign-in', async () => {
    const handler = vi.fn();
    onUnauthenticated(handler);
    const refused = JSON.stringify({ error: { code: 'unauthenticated', message: 'sign in' } });
    vi.stubGlobal('fetch', async () => new Response(refused, { status: 401 }));
    await expect(authApi.login('a@b.example', 'wrong')).rejects.toMatchObject({ status: 401 });
    expect(handler).not.toHaveBeenCalled();
    await expect(authApi.me()).rejects.toMatchObject({ status: 401 });
    expect(handler).toHaveBeenCalledOnce();
  });

  it('calls on the page origin with the session cookie, and says so when the server cannot be reached', async () => {
    const fetch = vi.fn(async () => new Response(JSON.stringify({ items: [], total: 0, next: null })));
    vi.stubGlobal('fetch', fetch);
    await actionsApi.list({ q: 'disk', archived: true });
    expect(fetch).toHaveBeenCalledWith('/api/v1/actions?q=disk&archived=true', expect.objectContaining({ method: 'GET', credentials: 'same-origin' }));
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    await expect(client.call((await import('@fixpoint/protocol/api')).api.auth.me)).rejects.toMatchObject({
      code: 'network',
      message: 'the server cannot be reached; check your connection and try again',
    });
  });
});
