import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestBackend, type TestBackend } from '../testing/harness';
import { adminEmail, createUser, seedAdmin, signIn } from '../testing/identity';

describe('users', () => {
  let t: TestBackend;
  let admin: Record<string, string>;
  beforeAll(async () => {
    t = await createTestBackend();
    admin = await seedAdmin(t);
  });
  afterAll(() => t.close());

  it('creates, reads, lists, changes and deletes a user without ever returning the password', async () => {
    const created = await t.call('POST', '/api/v1/users', {
      headers: admin,
      body: { email: 'Ana@Example.com', name: 'Ana', password: 'ana-password-1234', roles: ['support', 'viewer'] },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ email: 'ana@example.com', name: 'Ana', roles: ['support', 'viewer'], disabled: false, lastLoginAt: null });
    const id = created.body.id;
    expect((await t.call('GET', `/api/v1/users/${id}`, { headers: admin })).body).toEqual(created.body);
    const list = await t.call('GET', '/api/v1/users?limit=1', { headers: admin });
    expect(list.body.items).toHaveLength(1);
    expect(list.body.next).toBe(1);
    expect(list.body.total).toBeGreaterThanOrEqual(2);
    const patched = await t.call('PATCH', `/api/v1/users/${id}`, { headers: admin, body: { name: 'Ana B', roles: ['author'] } });
    expect(patched.body).toMatchObject({ name: 'Ana B', roles: ['author'] });
    const everything = JSON.stringify([created.body, list.body, patched.body]);
    expect(everything).not.toMatch(/password/i);
    const audit = await t.call('GET', '/api/v1/audit?action=user.*', { headers: admin });
    expect(audit.body.items.map((e: any) => e.action)).toEqual(expect.arrayContaining(['user.create', 'user.update']));
    expect(JSON.stringify(audit.body)).not.toContain('ana-password-1234');
    expect((await t.call('DELETE', `/api/v1/users/${id}`, { headers: admin })).status).toBe(204);
    expect((await t.call('GET', `/api/v1/users/${id}`, { headers: admin })).status).toBe(404);
    expect((await t.call('DELETE', `/api/v1/users/${id}`, { headers: admin })).status).toBe(404);
  });

  it('changes passwords, ends sessions of disabled users and blocks their tokens', async () => {
    const id = await createUser(t, 'bo@test.local', ['support'], 'bo-old-password');
    const session = await signIn(t, 'bo@test.local', 'bo-old-password');
    const pat = await t.call('POST', '/api/v1/tokens', { headers: session.headers, body: { name: 'x' } });
    await t.call('PATCH', `/api/v1/users/${id}`, { headers: admin, body: { password: 'bo-new-password' } });
    expect((await signIn(t, 'bo@test.local', 'bo-old-password')).status).toBe(401);
    expect((await t.call('GET', '/api/v1/auth/me', { headers: session.headers })).status).toBe(401);
    expect((await signIn(t, 'bo@test.local', 'bo-new-password')).status).toBe(200);
    await t.call('PATCH', `/api/v1/users/${id}`, { headers: admin, body: { disabled: true } });
    expect((await t.call('GET', '/api/v1/auth/me', { headers: { authorization: `Bearer ${pat.body.token}` } })).status).toBe(401);
    expect((await signIn(t, 'bo@test.local', 'bo-new-password')).status).toBe(401);
    await t.call('PATCH', `/api/v1/users/${id}`, { headers: admin, body: { disabled: false } });
    expect((await signIn(t, 'bo@test.local', 'bo-new-password')).status).toBe(200);
  });

  it('refuses duplicates, unknown roles and bad input', async () => {
    const body = { email: 'dup@test.local', name: 'Dup', password: 'dup-password-123', roles: ['viewer'] };
    expect((await t.call('POST', '/api/v1/users', { headers: admin, body })).status).toBe(201);
    const again = await t.call('POST', '/api/v1/users', { headers: admin, body: { ...body, email: 'DUP@test.local' } });
    expect(again.status).toBe(409);
    const unknownRole = await t.call('POST', '/api/v1/users', { headers: admin, body: { ...body, email: 'r@test.local', roles: ['wizard'] } });
    expect(unknownRole.status).toBe(400);
    expect(unknownRole.body.error.message).toContain('wizard');
    const bad: unknown[] = [
      { ...body, email: 'not-an-email' },
      { ...body, email: 'x@test.local', password: 'short' },
      { ...body, email: 'x@test.local', roles: [] },
      { ...body, email: 'x@test.local', roles: ["admin'--"] },
      { ...body, email: 'x@test.local', passwordHash: 'scrypt$1' },
      { ...body, email: 'x@test.local', name: 'x'.repeat(201) },
      { ...body, email: 'x@test.local', disabled: 'yes' },
    ];
    for (const b of bad) expect((await t.call('POST', '/api/v1/users', { headers: admin, body: b })).status, JSON.stringify(b)).toBe(400);
    const id = (await t.call('GET', '/api/v1/users?limit=500', { headers: admin })).body.items.find((u: any) => u.email === 'dup@test.local').id;
    expect((await t.call('PATCH', `/api/v1/users/${id}`, { headers: admin, body: {} })).status).toBe(400);
    expect((await t.call('PATCH', `/api/v1/users/${id}`, { headers: admin, body: { email: 'new@test.local' } })).status).toBe(400);
    expect((await t.call('PATCH', `/api/v1/users/${id}`, { headers: admin, body: { roles: ['ghost'] } })).status).toBe(400);
    expect((await t.call('PATCH', `/api/v1/users/${id}`, { headers: admin, body: '{"name":' })).body.error.code).toBe('invalid_json');
    expect((await t.call('GET', '/api/v1/users/not-a-uuid', { headers: admin })).status).toBe(400);
    expect((await t.call('GET', '/api/v1/users/00000000-0000-4000-8000-000000000000', { headers: admin })).status).toBe(404);
    expect((await t.call('GET', '/api/v1/users?limit=0', { headers: admin })).status).toBe(400);
    expect((await t.call('GET', '/api/v1/users?offset=-1', { headers: admin })).status).toBe(400);
    // A rejected change leaves the user untouched.
    expect((await t.call('GET', `/api/v1/users/${id}`, { headers: admin })).body.roles).toEqual(['viewer']);
  });

  it('needs the admin permission', async () => {
    for (const role of ['support', 'author', 'viewer']) {
      const headers = await t.as(role);
      expect((await t.call('GET', '/api/v1/users', { headers })).status).toBe(403);
      expect((await t.call('POST', '/api/v1/users', { headers, body: { email: 'e@x.io', name: 'e', password: 'e-password-123', roles: ['admin'] } })).status).toBe(403);
    }
    expect((await t.call('GET', '/api/v1/users')).status).toBe(401);
    expect((await t.call('DELETE', '/api/v1/users/00000000-0000-4000-8000-000000000000')).status).toBe(401);
  });
});

describe('the last enabled admin', () => {
  let t: TestBackend;
  let admin: Record<string, string>;
  let adminId: string;
  beforeAll(async () => {
    t = await createTestBackend();
    const s = await signIn(t);
    admin = s.headers;
    adminId = s.body.id;
  });
  afterAll(() => t.close());

  it('cannot be demoted, disabled or deleted', async () => {
    for (const body of [{ roles: ['viewer'] }, { disabled: true }]) {
      const res = await t.call('PATCH', `/api/v1/users/${adminId}`, { headers: admin, body });
      expect(res.status, JSON.stringify(body)).toBe(409);
    }
    expect((await t.call('DELETE', `/api/v1/users/${adminId}`, { headers: admin })).status).toBe(409);
    const me = await t.call('GET', `/api/v1/users/${adminId}`, { headers: admin });
    expect(me.body).toMatchObject({ email: adminEmail, roles: ['admin'], disabled: false });
  });

  it('counts only enabled users, and admins through custom roles', async () => {
    const second = await createUser(t, 'second-admin@test.local', ['admin']);
    await t.call('PATCH', `/api/v1/users/${second}`, { headers: admin, body: { disabled: true } });
    expect((await t.call('PATCH', `/api/v1/users/${adminId}`, { headers: admin, body: { roles: ['viewer'] } })).status).toBe(409);
    // A custom role carrying `admin` counts; taking `admin` off it is then refused while it is the last one.
    const role = { name: 'superuser', permissions: ['admin'], runnableActions: ['*'] };
    expect((await t.call('POST', '/api/v1/roles', { headers: admin, body: role })).status).toBe(201);
    const third = await createUser(t, 'third@test.local', ['superuser']);
    const demote = await t.call('PATCH', `/api/v1/users/${adminId}`, { headers: admin, body: { roles: ['viewer'] } });
    expect(demote.status).toBe(200);
    const thirdSession = await signIn(t, 'third@test.local', 'correct-horse-battery');
    const put = await t.call('PUT', '/api/v1/roles/superuser', { headers: thirdSession.headers, body: { ...role, permissions: ['devices:read'] } });
    expect(put.status).toBe(409);
    expect((await t.call('DELETE', `/api/v1/users/${third}`, { headers: thirdSession.headers })).status).toBe(409);
    // With another admin enabled again, the change goes through.
    expect((await t.call('PATCH', `/api/v1/users/${second}`, { headers: thirdSession.headers, body: { disabled: false } })).status).toBe(200);
    expect((await t.call('DELETE', `/api/v1/users/${third}`, { headers: thirdSession.headers })).status).toBe(204);
  });
});
