import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestBackend, type TestBackend } from '../testing/harness';
import { advanceClock, rawQuery, seedAdmin } from '../testing/identity';

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const formHeaders = { 'content-type': 'application/x-www-form-urlencoded' };
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

describe('API clients and the OAuth2 token endpoint', () => {
  let t: TestBackend;
  let admin: Record<string, string>;
  let client: { id: string; clientId: string; clientSecret: string };
  beforeAll(async () => {
    t = await createTestBackend();
    admin = await seedAdmin(t);
    const res = await t.call('POST', '/api/v1/api-clients', { headers: admin, body: { name: 'ServiceNow', roles: ['support'] } });
    client = res.body;
  });
  afterAll(() => t.close());

  const tokenRequest = (body: string, headers: Record<string, string>) => t.app.request('/api/v1/oauth/token', { method: 'POST', headers, body });

  it('creates a client whose secret is shown once and stored hashed', async () => {
    expect(client).toMatchObject({ name: 'ServiceNow', roles: ['support'], disabled: false });
    expect(client.clientId).toMatch(/^fxp_client_[0-9a-f]{32}$/);
    expect(client.clientSecret).toMatch(/^fxp_cs_/);
    const list = await t.call('GET', '/api/v1/api-clients', { headers: admin });
    expect(list.body.items).toHaveLength(1);
    expect(JSON.stringify(list.body)).not.toContain(client.clientSecret);
    expect(JSON.stringify(await rawQuery(t, 'select * from api_clients'))).not.toContain(client.clientSecret);
    const audit = await t.call('GET', '/api/v1/audit?action=client.create', { headers: admin });
    expect(audit.body.items[0]).toMatchObject({ target: `client:${client.clientId}`, details: { name: 'ServiceNow', roles: ['support'] } });
    expect(JSON.stringify(audit.body)).not.toContain(client.clientSecret);
  });

  it('issues a 15-minute bearer token from a form, from JSON and with HTTP Basic', async () => {
    const grant = { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret };
    const responses = [
      await tokenRequest(form(grant), formHeaders),
      await tokenRequest(JSON.stringify(grant), { 'content-type': 'application/json' }),
      await tokenRequest(form({ grant_type: 'client_credentials' }), { ...formHeaders, authorization: basic(client.clientId, client.clientSecret) }),
      await tokenRequest(form({ grant_type: 'client_credentials', client_id: client.clientId }), { ...formHeaders, authorization: basic(client.clientId, client.clientSecret) }),
    ];
    for (const res of responses) {
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const body = (await res.json()) as any;
      expect(body).toEqual({ access_token: expect.stringMatching(/^fxp_at_/), token_type: 'Bearer', expires_in: 900 });
      const me = await t.call('GET', '/api/v1/auth/me', { headers: { authorization: `Bearer ${body.access_token}` } });
      expect(me.body).toMatchObject({ kind: 'client', id: client.id, name: 'ServiceNow', email: null, roles: ['support'] });
    }
  });

  it('rejects an expired token as expired and cleans up old ones on a later issue', async () => {
    const grant = form({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret });
    const token = ((await (await tokenRequest(grant, formHeaders)).json()) as any).access_token;
    const headers = { authorization: `Bearer ${token}` };
    expect((await t.call('GET', '/api/v1/auth/me', { headers })).status).toBe(200);
    const saved = t.ctx.now;
    advanceClock(t, 14 * 60_000);
    try {
      // The principal cache lasts 10 s; 14 minutes on, the token still works.
      expect((await t.call('GET', '/api/v1/auth/me', { headers })).status).toBe(200);
      advanceClock(t, 60_000 + 1000);
      const expired = await t.call('GET', '/api/v1/auth/me', { headers });
      expect(expired.status).toBe(401);
      expect(expired.body.error.code).toBe('expired');
      const before = Number((await rawQuery(t, 'select count(*)::int as n from client_tokens'))[0]!.n);
      expect(before).toBeGreaterThan(1);
      // Kept a week past expiry so late callers are told why, then removed by the next issue.
      advanceClock(t, 7 * 24 * 3600_000);
      expect((await tokenRequest(grant, formHeaders)).status).toBe(200);
      expect(Number((await rawQuery(t, 'select count(*)::int as n from client_tokens'))[0]!.n)).toBe(1);
    } finally {
      t.ctx.now = saved;
    }
  });

  it('gives 401 for bad credentials and 4xx for malformed requests', async () => {
    const good = { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret };
    const unauthorized = [
      await tokenRequest(form({ ...good, client_secret: 'fxp_cs_wrong' }), formHeaders),
      await tokenRequest(form({ ...good, client_id: 'fxp_client_unknown' }), formHeaders),
      await tokenRequest(form({ grant_type: 'client_credentials' }), { ...formHeaders, authorization: basic(client.clientId, 'nope') }),
    ];
    const messages = new Set<string>();
    for (const res of unauthorized) {
      expect(res.status).toBe(401);
      messages.add(JSON.stringify(await res.json()));
    }
    expect(messages.size).toBe(1);
    const cases: [string, Record<string, string>, number, string][] = [
      [form({ ...good, grant_type: 'password' }), formHeaders, 400, 'validation_failed'],
      [form({ grant_type: 'client_credentials', client_id: client.clientId }), formHeaders, 400, 'validation_failed'],
      [`${form(good)}&grant_type=client_credentials`, formHeaders, 400, 'bad_request'],
      ['{"grant_type":', { 'content-type': 'application/json' }, 400, 'invalid_json'],
      ['[1,2]', { 'content-type': 'application/json' }, 400, 'invalid_json'],
      [JSON.stringify({ ...good, client_secret: 42 }), { 'content-type': 'application/json' }, 400, 'validation_failed'],
      [form(good), { 'content-type': 'text/plain' }, 415, 'unsupported_media_type'],
      [form(good), {}, 415, 'unsupported_media_type'],
      [form(good), { ...formHeaders, authorization: basic(client.clientId, client.clientSecret) }, 400, 'bad_request'],
      [form({ grant_type: 'client_credentials' }), { ...formHeaders, authorization: 'Basic bm9jb2xvbg==' }, 400, 'bad_request'],
      [form({ grant_type: 'client_credentials' }), { ...formHeaders, authorization: `Basic ${Buffer.from('a%zz:b').toString('base64')}` }, 400, 'bad_request'],
      [form({ ...good, client_id: "' or 1=1 --" }), formHeaders, 401, 'unauthenticated'],
      [form({ ...good, client_secret: 'x'.repeat(10_000) }), formHeaders, 413, 'payload_too_large'],
    ];
    for (const [body, headers, status, code] of cases) {
      const res = await tokenRequest(body, headers);
      expect(res.status, body.slice(0, 80)).toBe(status);
      expect(((await res.json()) as any).error.code).toBe(code);
    }
  });

  it('rotates the secret, ending the old secret and its tokens', async () => {
    const grant = { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret };
    const old = ((await (await tokenRequest(form(grant), formHeaders)).json()) as any).access_token;
    const rotated = await t.call('POST', `/api/v1/api-clients/${client.id}/rotate-secret`, { headers: admin });
    expect(rotated.status).toBe(200);
    expect(rotated.body.clientSecret).not.toBe(client.clientSecret);
    expect((await t.call('GET', '/api/v1/auth/me', { headers: { authorization: `Bearer ${old}` } })).status).toBe(401);
    expect((await tokenRequest(form(grant), formHeaders)).status).toBe(401);
    const fresh = await tokenRequest(form({ ...grant, client_secret: rotated.body.clientSecret }), formHeaders);
    expect(fresh.status).toBe(200);
    client.clientSecret = rotated.body.clientSecret;
  });

  it('keeps clients away from personal tokens and admin routes, and deletes them', async () => {
    const grant = { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret };
    const token = ((await (await tokenRequest(form(grant), formHeaders)).json()) as any).access_token;
    const headers = { authorization: `Bearer ${token}` };
    expect((await t.call('POST', '/api/v1/tokens', { headers, body: { name: 'x' } })).status).toBe(403);
    expect((await t.call('GET', '/api/v1/tokens', { headers })).status).toBe(403);
    expect((await t.call('GET', '/api/v1/api-clients', { headers })).status).toBe(403);
    expect((await t.call('DELETE', `/api/v1/api-clients/${client.id}`, { headers: admin })).status).toBe(204);
    expect((await t.call('GET', '/api/v1/auth/me', { headers })).status).toBe(401);
    expect((await tokenRequest(form(grant), formHeaders)).status).toBe(401);
    expect((await t.call('DELETE', `/api/v1/api-clients/${client.id}`, { headers: admin })).status).toBe(404);
    expect((await t.call('POST', `/api/v1/api-clients/${client.id}/rotate-secret`, { headers: admin })).status).toBe(404);
  });

  it('validates input and needs the admin permission', async () => {
    const bad: unknown[] = [{ name: '', roles: ['support'] }, { name: 'x', roles: [] }, { name: 'x', roles: ['nope'] }, { name: 'x', roles: ['support'], secret: 's' }];
    for (const body of bad) expect((await t.call('POST', '/api/v1/api-clients', { headers: admin, body })).status, JSON.stringify(body)).toBe(400);
    expect((await t.call('DELETE', '/api/v1/api-clients/abc', { headers: admin })).status).toBe(400);
    for (const role of ['support', 'author', 'viewer']) {
      const headers = await t.as(role);
      expect((await t.call('POST', '/api/v1/api-clients', { headers, body: { name: 'x', roles: ['admin'] } })).status).toBe(403);
      expect((await t.call('POST', '/api/v1/api-clients/00000000-0000-4000-8000-000000000000/rotate-secret', { headers })).status).toBe(403);
    }
    expect((await t.call('GET', '/api/v1/api-clients')).status).toBe(401);
  });
});
