import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestBackend, type TestBackend } from '../testing/harness';
import { advanceClock, createUser, rawQuery, seedAdmin, signIn } from '../testing/identity';

// The same flows on PostgreSQL, where transactions run on separate connections and really race.
describe('identity on PostgreSQL', () => {
  let t: TestBackend;
  let admin: Record<string, string>;
  beforeAll(async () => {
    t = await createTestBackend({ database: 'postgres' });
    admin = await seedAdmin(t);
  });
  afterAll(() => t?.close());

  it('signs in, creates and narrows a token, and signs out', async () => {
    await createUser(t, 'pg-support@test.local', ['support'], 'pg-support-password');
    const s = await signIn(t, 'pg-support@test.local', 'pg-support-password');
    expect(s.status).toBe(200);
    const token = await t.call('POST', '/api/v1/tokens', { headers: s.headers, body: { name: 'x', permissions: ['devices:read'] } });
    expect(token.status).toBe(201);
    const me = await t.call('GET', '/api/v1/auth/me', { headers: { authorization: `Bearer ${token.body.token}` } });
    expect(me.body.permissions).toEqual(['devices:read']);
    expect((await t.call('POST', '/api/v1/tokens', { headers: s.headers, body: { name: 'x', permissions: ['admin'] } })).status).toBe(400);
    expect((await t.call('POST', '/api/v1/auth/logout', { headers: s.headers })).status).toBe(204);
    expect((await t.call('GET', '/api/v1/auth/me', { headers: s.headers })).status).toBe(401);
  });

  it('issues client tokens that expire after 15 minutes', async () => {
    const client = (await t.call('POST', '/api/v1/api-clients', { headers: admin, body: { name: 'portal', roles: ['viewer'] } })).body;
    const res = await t.app.request('/api/v1/oauth/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret }).toString(),
    });
    const headers = { authorization: `Bearer ${((await res.json()) as any).access_token}` };
    expect((await t.call('GET', '/api/v1/auth/me', { headers })).body.kind).toBe('client');
    const saved = t.ctx.now;
    advanceClock(t, 15 * 60_000 + 1000);
    try {
      expect((await t.call('GET', '/api/v1/auth/me', { headers })).status).toBe(401);
    } finally {
      t.ctx.now = saved;
    }
  });

  it('keeps one admin when two admins are demoted at the same time', async () => {
    const other = await createUser(t, 'pg-admin@test.local', ['admin']);
    const seedId = (await t.call('GET', '/api/v1/auth/me', { headers: admin })).body.id;
    const results = await Promise.all(
      [seedId, other].map((id) => t.call('PATCH', `/api/v1/users/${id}`, { headers: admin, body: { roles: ['viewer'] } })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const admins = await rawQuery(
      t,
      `select count(distinct u.id)::int as n from users u join user_roles ur on ur.user_id = u.id join roles r on r.id = ur.role_id
       where not u.disabled and r.permissions @> '["admin"]'::jsonb`,
    );
    expect(Number(admins[0]!.n)).toBe(1);
  });

  it('detects a tampered audit entry', async () => {
    expect((await t.call('GET', '/api/v1/audit/verify', { headers: await t.as('admin') })).body.ok).toBe(true);
    const [row] = await rawQuery(t, "select seq from audit_log where action = 'user.create' order by seq limit 1");
    await rawQuery(t, `update audit_log set details = '{}'::jsonb where seq = ${Number(row!.seq)}`);
    const res = await t.call('GET', '/api/v1/audit/verify', { headers: await t.as('admin') });
    expect(res.body).toMatchObject({ ok: false, brokenAt: Number(row!.seq) });
  });
});
