import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seed } from '../services/identity/seed';
import { createTestBackend, type TestBackend } from '../testing/harness';
import { adminEmail, advanceClock, createUser, rawQuery, seedAdmin, signIn } from '../testing/identity';

const me = (t: TestBackend, headers: Record<string, string>) => t.call('GET', '/api/v1/auth/me', { headers });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function newPat(t: TestBackend, headers: Record<string, string>, name = 'script'): Promise<string> {
  const res = await t.call('POST', '/api/v1/tokens', { headers, body: { name } });
  expect(res.status).toBe(201);
  return res.body.token as string;
}

describe('a password change ends what the old password opened', () => {
  let t: TestBackend;
  beforeAll(async () => {
    t = await createTestBackend();
  });
  afterAll(() => t.close());

  it("changing your own password keeps this session, ends the others and revokes every token", async () => {
    await createUser(t, 'ana@test.local', ['support'], 'first-password-1');
    const here = await signIn(t, 'ana@test.local', 'first-password-1');
    const elsewhere = await signIn(t, 'ana@test.local', 'first-password-1');
    const pat = await newPat(t, here.headers);
    const ext = await t.call('POST', '/api/v1/auth/extension-token', { headers: here.headers, body: {} });
    const res = await t.call('POST', '/api/v1/auth/password', {
      headers: here.headers,
      body: { currentPassword: 'first-password-1', newPassword: 'second-password-2' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ sessionsEnded: 1, tokensRevoked: 2 });
    expect((await me(t, here.headers)).status).toBe(200);
    const other = await me(t, elsewhere.headers);
    expect(other.status).toBe(401);
    expect(other.body.error.code).toBe('revoked');
    for (const token of [pat, ext.body.token as string]) {
      const used = await me(t, bearer(token));
      expect(used.status).toBe(401);
      expect(used.body.error).toMatchObject({ code: 'revoked', message: expect.stringContaining('revoked') });
    }
    expect((await signIn(t, 'ana@test.local', 'first-password-1')).status).toBe(401);
    expect((await signIn(t, 'ana@test.local', 'second-password-2')).status).toBe(200);
    const audit = await t.call('GET', '/api/v1/audit?action=user.password_change', { headers: await seedAdmin(t) });
    expect(audit.body.items[0]).toMatchObject({ target: 'user:ana@test.local', details: { sessionsEnded: 1, tokensRevoked: 2 } });
  });

  it('needs the current password, a different new one and a console session', async () => {
    await createUser(t, 'bo@test.local', ['viewer'], 'bo-password-123');
    const s = await signIn(t, 'bo@test.local', 'bo-password-123');
    const wrong = await t.call('POST', '/api/v1/auth/password', { headers: s.headers, body: { currentPassword: 'nope-nope-nope', newPassword: 'bo-password-456' } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.message).toMatch(/current password is wrong/);
    const same = await t.call('POST', '/api/v1/auth/password', { headers: s.headers, body: { currentPassword: 'bo-password-123', newPassword: 'bo-password-123' } });
    expect(same.status).toBe(400);
    const short = await t.call('POST', '/api/v1/auth/password', { headers: s.headers, body: { currentPassword: 'bo-password-123', newPassword: 'short' } });
    expect(short.status).toBe(400);
    const pat = await newPat(t, s.headers);
    const viaToken = await t.call('POST', '/api/v1/auth/password', { headers: bearer(pat), body: { currentPassword: 'bo-password-123', newPassword: 'bo-password-456' } });
    expect(viaToken.status).toBe(403);
    expect((await signIn(t, 'bo@test.local', 'bo-password-123')).status).toBe(200);
  });

  it("an admin's reset ends all the target's sessions and tokens and makes them choose a new password", async () => {
    const id = await createUser(t, 'cy@test.local', ['support'], 'cy-password-123');
    const s1 = await signIn(t, 'cy@test.local', 'cy-password-123');
    const s2 = await signIn(t, 'cy@test.local', 'cy-password-123');
    const pat = await newPat(t, s1.headers);
    const admin = await seedAdmin(t);
    const res = await t.call('PATCH', `/api/v1/users/${id}`, { headers: admin, body: { password: 'reset-by-admin-1' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ email: 'cy@test.local', sessionsEnded: 2, tokensRevoked: 1 });
    for (const headers of [s1.headers, s2.headers, bearer(pat)]) expect((await me(t, headers)).body.error.code).toBe('revoked');
    expect((await me(t, admin)).status).toBe(200);

    // Signed in with the admin's password, the user may only read who they are and set their own.
    const s = await signIn(t, 'cy@test.local', 'reset-by-admin-1');
    expect(s.status).toBe(200);
    expect(s.body.mustChangePassword).toBe(true);
    expect((await me(t, s.headers)).body.mustChangePassword).toBe(true);
    for (const [method, path, body] of [
      ['GET', '/api/v1/devices', undefined],
      ['GET', '/api/v1/tokens', undefined],
      ['POST', '/api/v1/tokens', { name: 'x' }],
      ['POST', '/api/v1/auth/extension-token', {}],
    ] as const) {
      const blocked = await t.call(method, path, { headers: s.headers, body });
      expect(blocked.status, path).toBe(403);
      expect(blocked.body.error.code).toBe('password_change_required');
    }
    const changed = await t.call('POST', '/api/v1/auth/password', { headers: s.headers, body: { currentPassword: 'reset-by-admin-1', newPassword: 'cy-own-password-9' } });
    expect(changed.body).toEqual({ sessionsEnded: 0, tokensRevoked: 0 });
    expect((await me(t, s.headers)).body.mustChangePassword).toBe(false);
    expect((await t.call('GET', '/api/v1/devices', { headers: s.headers })).status).toBe(200);
  });

  it('disabling a user ends their sessions and says how many', async () => {
    const id = await createUser(t, 'dee@test.local', ['viewer'], 'dee-password-12');
    await signIn(t, 'dee@test.local', 'dee-password-12');
    const res = await t.call('PATCH', `/api/v1/users/${id}`, { headers: await seedAdmin(t), body: { disabled: true } });
    expect(res.body).toMatchObject({ disabled: true, sessionsEnded: 1 });
  });
  it("an admin setting their own password keeps their session and does not force a change", async () => {
    const admin = await signIn(t);
    const other = await signIn(t);
    const res = await t.call('PATCH', `/api/v1/users/${admin.body.id}`, { headers: admin.headers, body: { password: 'admin-password-456' } });
    expect(res.body).toMatchObject({ sessionsEnded: expect.any(Number), tokensRevoked: 0 });
    expect(res.body.sessionsEnded).toBeGreaterThanOrEqual(1);
    expect((await me(t, admin.headers)).body.mustChangePassword).toBe(false);
    expect((await me(t, other.headers)).body.error.code).toBe('revoked');
  });

});

describe('the generated first-admin password', () => {
  let t: TestBackend;
  beforeAll(async () => {
    t = await createTestBackend();
  });
  afterAll(() => t.close());

  it('opens the console only to set a new password; an operator-chosen one is kept as is', async () => {
    expect((await signIn(t)).body.mustChangePassword).toBe(false);
    await rawQuery(t, 'delete from users');
    t.ctx.config = { ...t.ctx.config, adminPassword: undefined };
    const seeded = await seed(t.ctx);
    const oneTime = seeded!.generatedPassword!;
    expect(oneTime).toBeTruthy();
    const s = await signIn(t, adminEmail, oneTime);
    expect(s.status).toBe(200);
    expect(s.body).toMatchObject({ roles: ['admin'], mustChangePassword: true });
    const users = await t.call('GET', '/api/v1/users', { headers: s.headers });
    expect(users.status).toBe(403);
    expect(users.body.error).toMatchObject({ code: 'password_change_required', message: expect.stringMatching(/new password/) });
    const changed = await t.call('POST', '/api/v1/auth/password', { headers: s.headers, body: { currentPassword: oneTime, newPassword: 'my-own-admin-pass' } });
    expect(changed.status).toBe(200);
    expect((await t.call('GET', '/api/v1/users', { headers: s.headers })).status).toBe(200);
    expect((await signIn(t, adminEmail, oneTime)).status).toBe(401);
  });
});

describe('refused credentials say why', () => {
  let t: TestBackend;
  beforeAll(async () => {
    t = await createTestBackend();
  });
  afterAll(() => t.close());

  it('answers expired or revoked for sessions, personal access tokens and OAuth bearer tokens', async () => {
    const admin = await seedAdmin(t);
    const s = await signIn(t);
    const shortPat = await t.call('POST', '/api/v1/tokens', { headers: s.headers, body: { name: 'short', expiresInSec: 60 } });
    const revokedPat = await t.call('POST', '/api/v1/tokens', { headers: s.headers, body: { name: 'gone' } });
    await t.call('DELETE', `/api/v1/tokens/${revokedPat.body.id}`, { headers: s.headers });
    const client = (await t.call('POST', '/api/v1/api-clients', { headers: admin, body: { name: 'portal', roles: ['viewer'] } })).body;
    const grant = async () =>
      (await t.call('POST', '/api/v1/oauth/token', { body: { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret } })).body;
    const before = await grant();
    const rotated = await t.call('POST', `/api/v1/api-clients/${client.id}/rotate-secret`, { headers: admin });
    expect(rotated.status).toBe(200);
    client.clientSecret = rotated.body.clientSecret;
    const current = await grant();
    const loggedOut = await signIn(t);
    await t.call('POST', '/api/v1/auth/logout', { headers: loggedOut.headers });

    const expectRefused = async (headers: Record<string, string>, code: 'expired' | 'revoked') => {
      const res = await me(t, headers);
      expect(res.status, JSON.stringify(res.body)).toBe(401);
      expect(res.body.error.code).toBe(code);
      expect(res.body.error.message).toContain(code);
    };
    await expectRefused(bearer(revokedPat.body.token), 'revoked');
    await expectRefused(bearer(before.access_token), 'revoked');
    await expectRefused(loggedOut.headers, 'revoked');
    expect((await me(t, bearer(current.access_token))).status).toBe(200);

    const saved = t.ctx.now;
    advanceClock(t, 13 * 3600_000);
    try {
      await expectRefused(bearer(shortPat.body.token), 'expired');
      await expectRefused(bearer(current.access_token), 'expired');
      await expectRefused(s.headers, 'expired');
    } finally {
      t.ctx.now = saved;
    }
    // Credentials never issued are just unauthenticated.
    expect((await me(t, bearer('fxp_pat_unknown'))).body.error.code).toBe('unauthenticated');
  });
});
