import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestBackend, type TestBackend } from '../testing/harness';
import { adminEmail, adminPassword, advanceClock, createUser, seedAdmin, signIn } from '../testing/identity';

const login = (t: TestBackend, body: unknown, ip = '192.0.2.1', url = 'http://localhost/api/v1/auth/login') =>
  t.app.request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }, {
    incoming: { socket: { remoteAddress: ip } },
  });

describe('sign-in with a session cookie', () => {
  let t: TestBackend;
  beforeAll(async () => {
    t = await createTestBackend();
  });
  afterAll(() => t.close());

  it('signs in, sets a 12-hour HttpOnly Lax cookie and returns Me', async () => {
    const s = await signIn(t);
    expect(s.status).toBe(200);
    expect(s.body).toMatchObject({ kind: 'user', email: adminEmail, roles: ['admin'], permissions: ['admin'], runnableActions: ['*'] });
    expect(s.setCookie).toMatch(/^fixpoint_session=fxp_s_[\w-]+;/);
    expect(s.setCookie).toMatch(/Max-Age=43200/);
    expect(s.setCookie).toMatch(/Path=\//);
    expect(s.setCookie).toMatch(/HttpOnly/);
    expect(s.setCookie).toMatch(/SameSite=Lax/);
    expect(s.setCookie).not.toMatch(/Secure/);
    const me = await t.call('GET', '/api/v1/auth/me', { headers: s.headers });
    expect(me.status).toBe(200);
    expect(me.body.email).toBe(adminEmail);
    const user = await t.call('GET', `/api/v1/users/${me.body.id}`, { headers: s.headers });
    expect(user.body.lastLoginAt).not.toBeNull();
  });

  it('marks the cookie Secure over https', async () => {
    const res = await login(t, { email: adminEmail, password: adminPassword }, '192.0.2.1', 'https://fixpoint.example/api/v1/auth/login');
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toMatch(/Secure/);
  });

  it('treats the e-mail case-insensitively', async () => {
    expect((await signIn(t, adminEmail.toUpperCase())).status).toBe(200);
  });

  it('signs out: deletes the session and clears the cookie', async () => {
    const s = await signIn(t);
    const res = await t.app.request('/api/v1/auth/logout', { method: 'POST', headers: s.headers });
    expect(res.status).toBe(204);
    expect(res.headers.get('set-cookie')).toMatch(/fixpoint_session=;.*Max-Age=0/);
    expect((await t.call('GET', '/api/v1/auth/me', { headers: s.headers })).status).toBe(401);
    // Signing out twice, or without a cookie, is harmless.
    expect((await t.call('POST', '/api/v1/auth/logout', { headers: s.headers })).status).toBe(204);
    expect((await t.call('POST', '/api/v1/auth/logout')).status).toBe(204);
    const audit = await t.call('GET', '/api/v1/audit?action=auth.logout', { headers: await seedAdmin(t) });
    expect(audit.body.total).toBe(1);
  });

  it('refuses a cross-origin write made with the session cookie', async () => {
    const s = await signIn(t);
    const res = await t.call('POST', '/api/v1/auth/logout', { headers: { ...s.headers, origin: 'https://evil.example' } });
    expect(res.status).toBe(403);
  });

  it("lets the extension's own pages trade the session for an extension token, and nothing else", async () => {
    const s = await signIn(t);
    const fromExtension = { ...s.headers, origin: 'chrome-extension://comlofglpgafbolikkhehecjndbcnhpg' };
    const token = await t.call('POST', '/api/v1/auth/extension-token', { headers: fromExtension, body: {} });
    expect(token.status).toBe(201);
    expect((await t.call('POST', '/api/v1/auth/extension-token', { headers: { ...s.headers, origin: 'moz-extension://0f3c2a5e-1b2c-4d5e-8f90-a1b2c3d4e5f6' }, body: {} })).status).toBe(201);
    expect((await t.call('POST', '/api/v1/auth/logout', { headers: fromExtension })).status).toBe(403);
    expect((await t.call('POST', '/api/v1/auth/extension-token', { headers: { ...s.headers, origin: 'https://evil.example' }, body: {} })).status).toBe(403);
    expect((await t.call('POST', '/api/v1/auth/extension-token', { headers: { ...s.headers, origin: 'chrome-extension://x/../evil' }, body: {} })).status).toBe(403);
  });

  it('expires the session after 12 hours', async () => {
    const s = await signIn(t);
    const saved = t.ctx.now;
    advanceClock(t, 12 * 3600_000 + 60_000);
    try {
      expect((await t.call('GET', '/api/v1/auth/me', { headers: s.headers })).status).toBe(401);
    } finally {
      t.ctx.now = saved;
    }
  });

  it('answers /auth/me for tokens and API clients, and 401 without credentials', async () => {
    const me = await t.call('GET', '/api/v1/auth/me', { headers: await t.as('support') });
    expect(me.body).toMatchObject({ kind: 'user', roles: ['support'], permissions: ['actions:run', 'campaigns:trigger', 'devices:read'], runnableActions: [] });
    const none = await t.call('GET', '/api/v1/auth/me');
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('unauthenticated');
    expect((await t.call('GET', '/api/v1/auth/me', { headers: { authorization: 'Bearer fxp_pat_nope' } })).status).toBe(401);
    expect((await t.call('GET', '/api/v1/auth/me', { headers: { cookie: 'fixpoint_session=garbage' } })).status).toBe(401);
  });
});

describe('failed sign-ins', () => {
  let t: TestBackend;
  beforeAll(async () => {
    t = await createTestBackend();
    await createUser(t, 'off@test.local', ['viewer'], 'disabled-password-1');
    const list = await t.call('GET', '/api/v1/users?limit=500', { headers: await seedAdmin(t) });
    const off = list.body.items.find((u: { email: string }) => u.email === 'off@test.local');
    await t.call('PATCH', `/api/v1/users/${off.id}`, { headers: await seedAdmin(t), body: { disabled: true } });
  });
  afterAll(() => t.close());

  it('gives the same 401 for a wrong password, an unknown user and a disabled user, and audits each', async () => {
    const attempts = [
      { email: adminEmail, password: 'wrong-password-1' },
      { email: 'nobody@test.local', password: 'whatever-password' },
      { email: 'off@test.local', password: 'disabled-password-1' },
    ];
    const bodies = [];
    for (const a of attempts) {
      const res = await login(t, a, '198.51.100.7');
      expect(res.status).toBe(401);
      expect(res.headers.get('set-cookie')).toBeNull();
      bodies.push(await res.json());
    }
    expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);
    const audit = await t.call('GET', '/api/v1/audit?action=auth.login_failed', { headers: await seedAdmin(t) });
    expect(audit.body.items.map((e: any) => Object.keys(e.details.reasons)[0]).sort()).toEqual(['disabled', 'unknown_user', 'wrong_password']);
    expect(JSON.stringify(audit.body)).not.toContain('wrong-password-1');
    expect(JSON.stringify(audit.body)).not.toContain('disabled-password-1');
  });

  it('rejects bad input with 4xx', async () => {
    const cases: [unknown, number, string][] = [
      ['{"email":', 400, 'invalid_json'],
      [{ email: adminEmail }, 400, 'validation_failed'],
      [{ email: "' or 1=1 --", password: 'x' }, 400, 'validation_failed'],
      [{ email: adminEmail, password: 42 }, 400, 'validation_failed'],
      [{ email: adminEmail, password: 'x', admin: true }, 400, 'validation_failed'],
      [{ email: adminEmail, password: 'x'.repeat(300) }, 400, 'validation_failed'],
      [[], 400, 'validation_failed'],
    ];
    for (const [body, status, code] of cases) {
      const res = await t.call('POST', '/api/v1/auth/login', { body });
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.error.code).toBe(code);
    }
    const form = await t.call('POST', '/api/v1/auth/login', { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'email=a' });
    expect(form.status).toBe(415);
    const huge = await t.call('POST', '/api/v1/auth/login', { body: { email: adminEmail, password: 'x'.repeat(2 * 1024 * 1024) } });
    expect(huge.status).toBe(413);
  });
});

describe('extension sign-in', () => {
  let t: TestBackend;
  beforeAll(async () => {
    t = await createTestBackend();
    await createUser(t, 'agent@test.local', ['support', 'author'], 'support-password-1');
    await createUser(t, 'reader@test.local', ['viewer'], 'viewer-password-1');
  });
  afterAll(() => t.close());

  it('trades a session for a narrowed 8-hour token', async () => {
    const s = await signIn(t, 'agent@test.local', 'support-password-1');
    const before = Date.now();
    const res = await t.call('POST', '/api/v1/auth/extension-token', { headers: s.headers, body: {} });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'browser extension', permissions: ['actions:run', 'campaigns:trigger', 'devices:read'] });
    expect(res.body.token).toMatch(/^fxp_pat_/);
    const ttl = Date.parse(res.body.expiresAt) - before;
    expect(ttl).toBeGreaterThan(8 * 3600_000 - 60_000);
    expect(ttl).toBeLessThanOrEqual(8 * 3600_000 + 1000);
    const me = await t.call('GET', '/api/v1/auth/me', { headers: { authorization: `Bearer ${res.body.token}` } });
    expect(me.body.permissions).toEqual(['actions:run', 'campaigns:trigger', 'devices:read']);
    // The token cannot mint another extension token, nor a broader personal token.
    const bearer = { authorization: `Bearer ${res.body.token}` };
    expect((await t.call('POST', '/api/v1/auth/extension-token', { headers: bearer, body: {} })).status).toBe(403);
    const pat = await t.call('POST', '/api/v1/tokens', { headers: bearer, body: { name: 'wider' } });
    expect(pat.body.permissions).toEqual(['actions:run', 'campaigns:trigger', 'devices:read']);
  });

  it('gives a viewer only devices:read, honours expiresInSec and caps it at 30 days', async () => {
    const s = await signIn(t, 'reader@test.local', 'viewer-password-1');
    const res = await t.call('POST', '/api/v1/auth/extension-token', { headers: s.headers, body: { expiresInSec: 3600 } });
    expect(res.body.permissions).toEqual(['devices:read']);
    expect(Date.parse(res.body.expiresAt) - Date.now()).toBeLessThanOrEqual(3600_000);
    const tooLong = await t.call('POST', '/api/v1/auth/extension-token', { headers: s.headers, body: { expiresInSec: 31 * 24 * 3600 } });
    expect(tooLong.status).toBe(400);
    expect((await t.call('POST', '/api/v1/auth/extension-token', { headers: s.headers, body: { scope: 'admin' } })).status).toBe(400);
    expect((await t.call('POST', '/api/v1/auth/extension-token', { headers: s.headers })).status).toBe(415);
    expect((await t.call('POST', '/api/v1/auth/extension-token', { body: {} })).status).toBe(401);
  });
});
