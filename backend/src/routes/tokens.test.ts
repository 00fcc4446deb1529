import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestBackend, type TestBackend } from '../testing/harness';
import { advanceClock, createUser, rawQuery, signIn } from '../testing/identity';

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('personal access tokens', () => {
  let t: TestBackend;
  let session: Record<string, string>;
  beforeAll(async () => {
    t = await createTestBackend();
    await createUser(t, 'pat@test.local', ['support'], 'pat-user-password');
    session = (await signIn(t, 'pat@test.local', 'pat-user-password')).headers;
  });
  afterAll(() => t.close());

  it('creates a token shown once and stored hashed, lists it without the secret, and accepts it', async () => {
    const res = await t.call('POST', '/api/v1/tokens', { headers: session, body: { name: 'laptop script' } });
    expect(res.status).toBe(201);
    expect(res.body.token).toMatch(/^fxp_pat_/);
    expect(res.body.prefix).toBe(res.body.token.slice(0, 12));
    expect(res.body.permissions).toBeNull();
    const list = await t.call('GET', '/api/v1/tokens', { headers: session });
    const listed = list.body.items.find((x: any) => x.id === res.body.id);
    expect(listed).toMatchObject({ name: 'laptop script', lastUsedAt: null });
    expect(listed.token).toBeUndefined();
    const rows = await rawQuery(t, `select * from access_tokens where id = '${res.body.id}'`);
    expect(JSON.stringify(rows)).not.toContain(res.body.token);
    const me = await t.call('GET', '/api/v1/auth/me', { headers: bearer(res.body.token) });
    expect(me.body).toMatchObject({ email: 'pat@test.local', permissions: ['actions:run', 'campaigns:trigger', 'devices:read'] });
    const audit = await t.call('GET', `/api/v1/audit?action=token.create&actor=user:pat@test.local`, { headers: await t.as('admin') });
    expect(audit.body.total).toBeGreaterThan(0);
    expect(JSON.stringify(audit.body)).not.toContain(res.body.token);
  });

  it('revokes only the caller’s own tokens', async () => {
    const mine = await t.call('POST', '/api/v1/tokens', { headers: session, body: { name: 'to revoke' } });
    const other = await t.call('POST', '/api/v1/tokens', { headers: await t.as('viewer'), body: { name: 'not yours' } });
    expect((await t.call('DELETE', `/api/v1/tokens/${other.body.id}`, { headers: session })).status).toBe(404);
    expect((await t.call('DELETE', `/api/v1/tokens/${mine.body.id}`, { headers: session })).status).toBe(204);
    expect((await t.call('GET', '/api/v1/auth/me', { headers: bearer(mine.body.token) })).status).toBe(401);
    expect((await t.call('DELETE', `/api/v1/tokens/${mine.body.id}`, { headers: session })).status).toBe(404);
    expect((await t.call('GET', '/api/v1/auth/me', { headers: bearer(other.body.token) })).status).toBe(200);
    const list = await t.call('GET', '/api/v1/tokens', { headers: session });
    expect(list.body.items.some((x: any) => x.id === mine.body.id)).toBe(false);
  });

  it('stops working at its expiry', async () => {
    const res = await t.call('POST', '/api/v1/tokens', { headers: session, body: { name: 'short', expiresInSec: 60 } });
    expect((await t.call('GET', '/api/v1/auth/me', { headers: bearer(res.body.token) })).status).toBe(200);
    const saved = t.ctx.now;
    advanceClock(t, 61_000);
    try {
      expect((await t.call('GET', '/api/v1/auth/me', { headers: bearer(res.body.token) })).status).toBe(401);
    } finally {
      t.ctx.now = saved;
    }
  });

  it('narrows to a subset of the user’s permissions and refuses any other', async () => {
    const narrow = await t.call('POST', '/api/v1/tokens', { headers: session, body: { name: 'read only', permissions: ['devices:read', 'devices:read'] } });
    expect(narrow.status).toBe(201);
    expect(narrow.body.permissions).toEqual(['devices:read']);
    const me = await t.call('GET', '/api/v1/auth/me', { headers: bearer(narrow.body.token) });
    expect(me.body.permissions).toEqual(['devices:read']);
    // The narrowed token cannot do admin work, nor mint a broader token.
    const wider = await t.call('POST', '/api/v1/tokens', { headers: bearer(narrow.body.token), body: { name: 'x', permissions: ['actions:run'] } });
    expect(wider.status).toBe(400);
    const inherit = await t.call('POST', '/api/v1/tokens', { headers: bearer(narrow.body.token), body: { name: 'x' } });
    expect(inherit.body.permissions).toEqual(['devices:read']);
    const escalate = await t.call('POST', '/api/v1/tokens', { headers: session, body: { name: 'x', permissions: ['admin'] } });
    expect(escalate.status).toBe(400);
    expect(escalate.body.error.message).toContain('admin');
    // An admin may narrow to anything, and the narrowed token loses admin.
    const admin = await t.as('admin');
    const adminNarrow = await t.call('POST', '/api/v1/tokens', { headers: admin, body: { name: 'x', permissions: ['actions:edit'] } });
    expect(adminNarrow.status).toBe(201);
    expect((await t.call('GET', '/api/v1/users', { headers: bearer(adminNarrow.body.token) })).status).toBe(403);
  });

  it('rejects bad input and callers that cannot hold tokens', async () => {
    const bad: unknown[] = [
      { name: '' },
      { name: 'x', expiresInSec: 10 },
      { name: 'x', expiresInSec: 400 * 24 * 3600 },
      { name: 'x', expiresInSec: '60' },
      { name: 'x', permissions: ['root'] },
      { name: 'x', userId: '00000000-0000-0000-0000-000000000000' },
      { name: "'); drop table users; --".repeat(10) },
    ];
    for (const body of bad) expect((await t.call('POST', '/api/v1/tokens', { headers: session, body })).status, JSON.stringify(body)).toBe(400);
    expect((await t.call('POST', '/api/v1/tokens', { headers: session, body: 'nope' })).body.error.code).toBe('invalid_json');
    expect((await t.call('DELETE', "/api/v1/tokens/1' or '1'='1", { headers: session })).status).toBe(400);
    expect((await t.call('GET', '/api/v1/tokens')).status).toBe(401);
    expect((await t.call('POST', '/api/v1/tokens', { body: { name: 'x' } })).status).toBe(401);
  });
});
