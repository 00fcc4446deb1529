import { describe, expect, it } from 'vitest';
import { ApiError, buildUrl, createApiClient, toApiError } from './client';
import { api } from './index';

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('the typed API client', () => {
  it('builds /api/v1 URLs: path parameters encoded, empty query values left out', () => {
    expect(buildUrl('/actions', undefined, { q: 'a b', purpose: undefined, archived: false, platform: '' })).toBe('/api/v1/actions?q=a+b&archived=false');
    expect(buildUrl('/actions/:id/versions/:version', { id: 'a/b', version: 3 })).toBe('/api/v1/actions/a%2Fb/versions/3');
    expect(() => buildUrl('/actions/:id', {})).toThrow(/needs the path parameter id/);
  });

  it('turns an error body into a typed error, and anything else into a generic one', async () => {
    const typed = await toApiError(json({ error: { code: 'conflict', message: 'newer version exists' } }, 409));
    expect(typed).toMatchObject({ status: 409, code: 'conflict', message: 'newer version exists' });
    const html = await toApiError(new Response('<h1>Bad gateway</h1>', { status: 502, statusText: 'Bad Gateway' }));
    expect(html).toMatchObject({ status: 502, code: 'unexpected', message: 'the server answered 502 Bad Gateway' });
    expect(await toApiError(new Response('nope', { status: 401 }))).toMatchObject({ status: 401, code: 'unauthenticated' });
    const busy = await toApiError(new Response('<h1>busy</h1>', { status: 503, headers: { 'retry-after': '5' } }));
    expect(busy).toMatchObject({ status: 503, code: 'overloaded', message: 'the server is busy; try again in 5 s', details: { retryAfterSec: 5 } });
    expect(await toApiError(new Response('', { status: 503 }))).toMatchObject({ status: 503, code: 'unexpected' });
  });

  it('sends the method, JSON body, headers and credentials the contract and options ask for', async () => {
    const calls: [string, RequestInit][] = [];
    const client = createApiClient({
      baseUrl: 'https://fp.example',
      fetch: async (url, init) => {
        calls.push([String(url), init!]);
        return new Response(null, { status: 204 });
      },
      headers: () => ({ authorization: 'Bearer t' }),
      credentials: 'omit',
    });
    await client.call(api.users.remove, { params: { id: 'u1' } });
    await client.call(api.schedules.update, { params: { id: 's1' }, body: { name: 'n' }, headers: { 'if-match': '"2"' } });
    expect(calls[0]![0]).toBe('https://fp.example/api/v1/users/u1');
    expect(calls[0]![1]).toMatchObject({ method: 'DELETE', credentials: 'omit', headers: { authorization: 'Bearer t' } });
    expect(calls[0]![1].body).toBeUndefined();
    expect(calls[1]![1]).toMatchObject({ method: 'PUT', body: '{"name":"n"}', headers: { 'content-type': 'application/json', 'if-match': '"2"' } });
  });

  it('validates answers when asked, and reports failures to onError before throwing', async () => {
    const seen: string[] = [];
    const answer = (res: Response) =>
      createApiClient({ baseUrl: '', fetch: async () => res, validate: true, onError: (e, endpoint) => seen.push(`${e.code} ${endpoint.path}`) });
    await expect(answer(json({ id: 'not-a-user' })).call(api.auth.me)).rejects.toMatchObject({ code: 'bad_response' });
    await expect(answer(json({ error: { code: 'forbidden', message: 'no' } }, 403)).call(api.auth.me)).rejects.toBeInstanceOf(ApiError);
    const failing = createApiClient({ baseUrl: 'https://down.example', fetch: async () => { throw new TypeError('fetch failed'); } });
    await expect(failing.call(api.auth.me)).rejects.toMatchObject({ status: 0, code: 'network', message: 'cannot reach the Fixpoint server at https://down.example' });
    expect(seen).toEqual(['bad_response /auth/me', 'forbidden /auth/me']);
  });

  it('is typed by the contract: inputs are required where the schemas need them, answers have their shape', async () => {
    const client = createApiClient({ baseUrl: '', fetch: async () => json({ items: [], total: 0, next: null }) });
    const page = await client.call(api.actions.list, { query: { archived: true, limit: 5 } });
    const names: string[] = page.items.map((a) => a.name);
    expect(names).toEqual([]);
    // @ts-expect-error the path parameter is required
    await expect(client.call(api.users.get)).rejects.toThrow(/needs the path parameter id/);
    // @ts-expect-error the body must be a schedule update
    await client.call(api.schedules.update, { params: { id: 's' }, body: { name: 7 } });
    const done: void = await createApiClient({ baseUrl: '', fetch: async () => new Response(null, { status: 204 }) }).call(api.auth.logout);
    expect(done).toBeUndefined();
  });

  it('gives the URL of an endpoint for links the browser follows', () => {
    const client = createApiClient({ baseUrl: '', fetch: async () => json({}) });
    expect(client.url(api.actions.export, { params: { id: 'disk' }, query: { format: 'json' } })).toBe('/api/v1/actions/disk/export?format=json');
  });
});
