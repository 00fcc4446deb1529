import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestBackend, type TestBackend } from '../testing/harness';
import { createUser, seedAdmin } from '../testing/identity';

describe('roles', () => {
  let t: TestBackend;
  let admin: Record<string, string>;
  beforeAll(async () => {
    t = await createTestBackend();
    admin = await seedAdmin(t);
  });
  afterAll(() => t.close());

  const helpdesk = {
    name: 'helpdesk',
    description: 'First-line support in Lyon',
    permissions: ['actions:run', 'devices:read'],
    runnableActions: ['clear-cache', 'restart-spooler'],
    deviceScope: { all: false, tags: ['site-lyon'], platforms: ['windows'] },
  };

  it('lists the built-in roles', async () => {
    const res = await t.call('GET', '/api/v1/roles', { headers: admin });
    expect(res.status).toBe(200);
    const builtIn = res.body.items.filter((r: any) => r.builtIn).map((r: any) => r.name);
    expect(builtIn).toEqual(['admin', 'author', 'support', 'viewer']);
  });

  it('creates, reads by id or name, replaces and deletes a custom role', async () => {
    const created = await t.call('POST', '/api/v1/roles', { headers: admin, body: helpdesk });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ...helpdesk, builtIn: false });
    expect((await t.call('GET', `/api/v1/roles/${created.body.id}`, { headers: admin })).body).toEqual(created.body);
    expect((await t.call('GET', '/api/v1/roles/helpdesk', { headers: admin })).body).toEqual(created.body);
    const put = await t.call('PUT', '/api/v1/roles/helpdesk', { headers: admin, body: { ...helpdesk, name: 'helpdesk-fr', runnableActions: ['*'] } });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ id: created.body.id, name: 'helpdesk-fr', runnableActions: ['*'] });
    expect((await t.call('GET', '/api/v1/roles/helpdesk', { headers: admin })).status).toBe(404);
    expect((await t.call('DELETE', `/api/v1/roles/${created.body.id}`, { headers: admin })).status).toBe(204);
    expect((await t.call('GET', '/api/v1/roles/helpdesk-fr', { headers: admin })).status).toBe(404);
    const audit = await t.call('GET', '/api/v1/audit?action=role.*', { headers: admin });
    expect(audit.body.items.map((e: any) => e.action)).toEqual(['role.delete', 'role.update', 'role.create']);
  });

  it('protects built-in roles, except what support may run and where', async () => {
    for (const name of ['admin', 'author', 'viewer']) {
      const current = (await t.call('GET', `/api/v1/roles/${name}`, { headers: admin })).body;
      const { id: _id, builtIn: _b, createdAt: _c, ...body } = current;
      expect((await t.call('PUT', `/api/v1/roles/${name}`, { headers: admin, body: { ...body, runnableActions: ['x-y'] } })).status).toBe(409);
      expect((await t.call('DELETE', `/api/v1/roles/${name}`, { headers: admin })).status).toBe(409);
    }
    const support = (await t.call('GET', '/api/v1/roles/support', { headers: admin })).body;
    const { id: _id, builtIn: _b, createdAt: _c, ...body } = support;
    const edited = await t.call('PUT', '/api/v1/roles/support', {
      headers: admin,
      body: { ...body, runnableActions: ['clear-cache'], deviceScope: { all: false, tags: ['site-lyon'], platforms: [] } },
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ name: 'support', builtIn: true, runnableActions: ['clear-cache'] });
    const me = await t.call('GET', '/api/v1/auth/me', { headers: await t.as('support') });
    expect(me.body.runnableActions).toEqual(['clear-cache']);
    for (const change of [{ permissions: ['admin'] }, { name: 'support-2' }, { description: 'changed' }]) {
      const res = await t.call('PUT', '/api/v1/roles/support', { headers: admin, body: { ...body, ...change } });
      expect(res.status, JSON.stringify(change)).toBe(409);
    }
    expect((await t.call('DELETE', '/api/v1/roles/support', { headers: admin })).status).toBe(409);
    expect((await t.call('GET', '/api/v1/roles/support', { headers: admin })).body.permissions).toEqual(support.permissions);
  });

  it('refuses to delete a role in use, and duplicate names', async () => {
    expect((await t.call('POST', '/api/v1/roles', { headers: admin, body: { ...helpdesk, name: 'in-use' } })).status).toBe(201);
    await createUser(t, 'holder@test.local', ['in-use']);
    const del = await t.call('DELETE', '/api/v1/roles/in-use', { headers: admin });
    expect(del.status).toBe(409);
    expect(del.body.error.details).toEqual({ users: 1, apiClients: 0 });
    expect((await t.call('POST', '/api/v1/roles', { headers: admin, body: { ...helpdesk, name: 'in-use' } })).status).toBe(409);
    expect((await t.call('POST', '/api/v1/roles', { headers: admin, body: { ...helpdesk, name: 'viewer' } })).status).toBe(409);
    expect((await t.call('PUT', '/api/v1/roles/in-use', { headers: admin, body: { ...helpdesk, name: 'author' } })).status).toBe(409);
  });

  it('rejects bad input', async () => {
    const bad: unknown[] = [
      { ...helpdesk, name: 'Bad Name' },
      { ...helpdesk, name: "x'; drop table roles; --" },
      { ...helpdesk, permissions: ['root'] },
      { ...helpdesk, permissions: 'admin' },
      { ...helpdesk, runnableActions: ['Not A Slug'] },
      { ...helpdesk, deviceScope: { all: 'yes' } },
      { ...helpdesk, deviceScope: { all: false, platforms: ['beos'] } },
      { ...helpdesk, builtIn: true },
      { name: 'no-permissions' },
    ];
    for (const body of bad) {
      const res = await t.call('POST', '/api/v1/roles', { headers: admin, body: { ...(body as object), name: (body as any).name ?? 'x' } });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect((await t.call('GET', '/api/v1/roles/Not_A_Role', { headers: admin })).status).toBe(400);
    expect((await t.call('GET', '/api/v1/roles/00000000-0000-4000-8000-000000000000', { headers: admin })).status).toBe(404);
    expect((await t.call('PUT', '/api/v1/roles/helpdesk', { headers: admin, body: '[' })).body.error.code).toBe('invalid_json');
  });

  it('needs the admin permission', async () => {
    for (const role of ['support', 'author', 'viewer']) {
      const headers = await t.as(role);
      expect((await t.call('GET', '/api/v1/roles', { headers })).status).toBe(403);
      expect((await t.call('POST', '/api/v1/roles', { headers, body: helpdesk })).status).toBe(403);
      expect((await t.call('PUT', '/api/v1/roles/support', { headers, body: helpdesk })).status).toBe(403);
    }
    expect((await t.call('GET', '/api/v1/roles/support')).status).toBe(401);
  });
});
