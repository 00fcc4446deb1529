import { describe, expect, it, vi } from 'vitest';
import { ApiError, createApiClient } from './api-client';
import { deviceId, executionId, requestId, sampleDevice } from '@fixpoint/launcher/testing/samples';

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

describe('createApiClient', () => {
  it('sends the bearer token and validates the device page', async () => {
    const fetch = vi.fn(async () => json({ items: [sampleDevice()], total: 1, next: null }));
    const api = createApiClient({ baseUrl: 'https://fp.example', token: 'fp_pat_secret', fetch });
    const devices = await api.searchDevices('LT-ABEL 0042');
    expect(devices.map((d) => d.name)).toEqual(['LT-ABEL-0042']);
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('https://fp.example/api/v1/devices?search=LT-ABEL+0042&limit=20');
    expect((init.headers as Record<string, string>).authorization).toBe('Bearer fp_pat_secret');
    expect(init.credentials).toBe('omit');
  });

  it('maps error bodies, non-JSON errors, bad responses and network failures to ApiError', async () => {
    const api = (res: () => Promise<Response>) => createApiClient({ baseUrl: 'https://fp.example', token: 't0123456789', fetch: res });
    await expect(api(async () => json({ error: { code: 'forbidden', message: 'not allowed' } }, 403)).me()).rejects.toMatchObject({
      status: 403, code: 'forbidden', message: 'not allowed',
    });
    await expect(api(async () => new Response('<html>bad gateway</html>', { status: 502 })).me()).rejects.toMatchObject({ status: 502, code: 'unexpected' });
    await expect(api(async () => new Response('nope', { status: 401 })).me()).rejects.toMatchObject({ code: 'unauthenticated' });
    await expect(api(async () => json({ id: 'not-a-user' })).me()).rejects.toMatchObject({ code: 'bad_response' });
    await expect(api(async () => { throw new TypeError('fetch failed'); }).me()).rejects.toBeInstanceOf(ApiError);
  });

  it('signs in with the session cookie and exchanges it for a token', async () => {
    const fetch = vi.fn(async (url: string) =>
      url.endsWith('/auth/login')
        ? json({ ok: true })
        : json({
            id: executionId, name: 'Browser extension', prefix: 'fp_pat_abcd', permissions: ['actions:run'], token: 'fp_pat_abcdefgh',
            expiresAt: '2026-12-20T09:30:00.000Z', lastUsedAt: null, createdAt: '2026-12-20T01:30:00.000Z',
          }),
    );
    const api = createApiClient({ baseUrl: 'https://fp.example', fetch: fetch as unknown as typeof globalThis.fetch });
    await api.login('beth@acme.example', 'correct horse battery');
    const token = await api.createExtensionToken();
    expect(token.token).toBe('fp_pat_abcdefgh');
    const [, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(init.credentials).toBe('include');
    expect(JSON.parse(init.body as string)).toEqual({ email: 'beth@acme.example', password: 'correct horse battery' });
  });

  it('streams execution updates and skips malformed events', async () => {
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        const event = (status: string) => JSON.stringify({ type: 'execution', id: executionId, requestId, deviceId, status, at: '2026-12-20T09:30:00.000Z' });
        controller.enqueue(encoder.encode(`event: execution\ndata: ${event('running')}\n\n`));
        controller.enqueue(encoder.encode('data: not json\n\ndata: {"type":"execution","id":"x","status":"running"}\n\n'));
        controller.enqueue(encoder.encode(`data: ${event('succeeded')}\n\n`));
        controller.close();
      },
    });
    const fetch = vi.fn(async () => new Response(body, { headers: { 'content-type': 'text/event-stream' } }));
    const api = createApiClient({ baseUrl: 'https://fp.example', token: 't0123456789', fetch });
    const updates: string[] = [];
    await api.streamExecutions(requestId, (u) => updates.push(u.status), new AbortController().signal);
    expect(updates).toEqual(['running', 'succeeded']);
    expect((fetch.mock.calls[0] as unknown as [string])[0]).toBe(`https://fp.example/api/v1/executions/events?requestId=${requestId}`);
  });
});
