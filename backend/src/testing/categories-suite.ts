/**
 * @module The device categories suite, run on PGlite (devices-categories.test.ts) and on PostgreSQL
 * (devices-categories.postgres.test.ts): editable tags, bulk tagging by query, saved queries and role scopes
 * made of saved queries.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devices } from '../db/schema';
import { auditEntries } from './actions';
import { seedAction, seedDevices, seedRole } from './fleet';
import { createTestBackend, type TestBackend } from './harness';
import { seedAdmin } from './identity';

export function categoriesSuite(database: 'pglite' | 'postgres') {
  describe(`device categories (${database})`, () => {
    let t: TestBackend;
    let admin: Record<string, string>;
    let paris: string[];
    let lyon: string[];
    const tagsOf = async (id: string) => (await t.ctx.db.select({ tags: devices.tags }).from(devices).where(eq(devices.id, id)))[0]!.tags;

    beforeAll(async () => {
      t = await createTestBackend({ database });
      admin = await seedAdmin(t);
      await seedAction(t.ctx);
      paris = await seedDevices(t.ctx, 3, { tags: ['site:paris'], namePrefix: 'paris' });
      lyon = await seedDevices(t.ctx, 2, { tags: ['site:lyon'], namePrefix: 'lyon', platform: 'linux' });
      await seedRole(t.ctx, 'paris-tagger', { permissions: ['devices:read', 'devices:edit'], deviceScope: { tags: ['site:paris'] } });
    });
    afterAll(() => t?.close());

    it('PATCH /devices/:id replaces the tags, audited; needs devices:edit; out of scope is not found', async () => {
      const res = await t.call('PATCH', `/api/v1/devices/${paris[0]}`, { headers: admin, body: { tags: ['site:paris', 'vip', 'vip'] } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.tags).toEqual(['site:paris', 'vip']);
      const [entry] = (await auditEntries(t, 'device.update')).slice(-1);
      expect(entry).toMatchObject({ target: `device:${paris[0]}`, details: { tags: ['site:paris', 'vip'], previousTags: ['site:paris'] } });

      expect((await t.call('PATCH', `/api/v1/devices/${paris[0]}`, { headers: await t.as('support'), body: { tags: [] } })).status).toBe(403);
      const tagger = await t.as('paris-tagger');
      expect((await t.call('PATCH', `/api/v1/devices/${lyon[0]}`, { headers: tagger, body: { tags: ['site:paris'] } })).status).toBe(404);
      expect(await tagsOf(lyon[0]!)).toEqual(['site:lyon']);
      const bad = await t.call('PATCH', `/api/v1/devices/${paris[0]}`, { headers: admin, body: { tags: ['Not A Tag'] } });
      expect(bad.status).toBe(400);
      expect((await t.call('PATCH', `/api/v1/devices/${paris[0]}`, { headers: admin, body: { tags: [], name: 'x' } })).status).toBe(400);
    });

    it('POST /devices/tags adds and removes tags on what a query selects, within the caller’s scope', async () => {
      const tagger = await t.as('paris-tagger');
      const res = await t.call('POST', '/api/v1/devices/tags', { headers: tagger, body: { query: 'devices', add: ['floor:2'] } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toEqual({ matched: 3, changed: 3 });
      for (const id of paris) expect(await tagsOf(id)).toContain('floor:2');
      for (const id of lyon) expect(await tagsOf(id)).not.toContain('floor:2');
      // the same change again changes nothing
      expect((await t.call('POST', '/api/v1/devices/tags', { headers: tagger, body: { query: 'devices', add: ['floor:2'] } })).body).toEqual({ matched: 3, changed: 0 });
      const removed = await t.call('POST', '/api/v1/devices/tags', {
        headers: admin,
        body: { query: 'devices | where name startswith "paris-00000"', remove: ['floor:2'], add: ['floor:3'] },
      });
      expect(removed.body).toEqual({ matched: 1, changed: 1 });
      expect(await tagsOf(paris[0]!)).toEqual(['floor:3', 'site:paris', 'vip']);
      const [entry] = (await auditEntries(t, 'device.tags')).slice(-1);
      expect(entry?.details).toMatchObject({ add: ['floor:3'], remove: ['floor:2'], matched: 1, changed: 1 });
    });

    it('POST /devices/tags on listed devices refuses any outside the scope, changing nothing', async () => {
      const tagger = await t.as('paris-tagger');
      const res = await t.call('POST', '/api/v1/devices/tags', { headers: tagger, body: { devices: [paris[1], lyon[0]], add: ['x'] } });
      expect(res.status).toBe(404);
      expect(await tagsOf(paris[1]!)).not.toContain('x');
      const ok = await t.call('POST', '/api/v1/devices/tags', { headers: tagger, body: { devices: [paris[1], paris[2]], add: ['x'] } });
      expect(ok.body).toEqual({ matched: 2, changed: 2 });
    });

    it('POST /devices/tags rejects bad bodies and bad queries with 400', async () => {
      const bodies = [
        { add: ['a'] },
        { query: 'devices', devices: [paris[0]], add: ['a'] },
        { query: 'devices' },
        { query: 'devices', add: ['a'], remove: ['a'] },
        { query: 'devices', add: ['BAD TAG'] },
      ];
      for (const body of bodies) expect((await t.call('POST', '/api/v1/devices/tags', { headers: admin, body })).status, JSON.stringify(body)).toBe(400);
      const res = await t.call('POST', '/api/v1/devices/tags', { headers: admin, body: { query: 'executions | limit 1', add: ['a'] } });
      expect(res.status).toBe(400);
      expect(res.body.error.details).toMatchObject({ offset: 0 });
      expect((await t.call('POST', '/api/v1/devices/tags', { headers: admin, body: { query: 'devices | where', add: ['a'] } })).status).toBe(400);
    });

    it('saves, lists, renames and deletes named queries, audited, with 409 on a taken name', async () => {
      const created = await t.call('POST', '/api/v1/saved-queries', { headers: admin, body: { name: 'Linux boxes', query: 'devices | where platform == "linux"' } });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body).toMatchObject({ name: 'Linux boxes', scopable: true, usedByRoles: [], createdBy: 'user:admin@fixpoint.local' });
      const limited = await t.call('POST', '/api/v1/saved-queries', { headers: admin, body: { name: 'Ten', query: 'devices | limit 10' } });
      expect(limited.body.scopable).toBe(false);
      expect((await t.call('POST', '/api/v1/saved-queries', { headers: admin, body: { name: 'Linux boxes', query: 'devices' } })).status).toBe(409);
      const bad = await t.call('POST', '/api/v1/saved-queries', { headers: admin, body: { name: 'bad', query: 'devices | summarize count()' } });
      expect(bad.status).toBe(400);
      const list = await t.call('GET', '/api/v1/saved-queries', { headers: await t.as('viewer') });
      expect(list.body.items.map((q: { name: string }) => q.name)).toEqual(['Linux boxes', 'Ten']);
      expect((await t.call('POST', '/api/v1/saved-queries', { headers: await t.as('viewer'), body: { name: 'v', query: 'devices' } })).status).toBe(403);
      const renamed = await t.call('PUT', `/api/v1/saved-queries/${limited.body.id}`, { headers: admin, body: { name: 'Top ten', query: 'devices | limit 10' } });
      expect(renamed.body.name).toBe('Top ten');
      expect((await t.call('DELETE', `/api/v1/saved-queries/${limited.body.id}`, { headers: admin })).status).toBe(204);
      expect((await t.call('GET', `/api/v1/saved-queries/${limited.body.id}`, { headers: admin })).status).toBe(404);
      expect((await auditEntries(t, 'saved_query.create')).length).toBe(2);
      expect((await auditEntries(t, 'saved_query.delete')).length).toBe(1);
    });

    it('a role scoped by a saved query reaches exactly what the query selects: list, read, query and launch', async () => {
      const { body: saved } = await t.call('POST', '/api/v1/saved-queries', {
        headers: admin,
        body: { name: 'Paris VIPs', query: 'devices | where tags contains "vip" | sort name asc' },
      });
      const role = await t.call('POST', '/api/v1/roles', {
        headers: admin,
        body: { name: 'vip-support', permissions: ['actions:run', 'devices:read'], runnableActions: ['*'], deviceScope: { all: false, queries: [saved.id] } },
      });
      expect(role.status, JSON.stringify(role.body)).toBe(201);
      const vip = await t.as('vip-support');
      const listed = await t.call('GET', '/api/v1/devices', { headers: vip });
      expect(listed.body.items.map((d: { id: string }) => d.id)).toEqual([paris[0]]);
      expect((await t.call('GET', `/api/v1/devices/${paris[1]}`, { headers: vip })).status).toBe(404);
      const counted = await t.call('POST', '/api/v1/query', { headers: vip, body: { query: 'devices | summarize count()' } });
      expect(counted.body.rows).toEqual([[1]]);
      const body = { action: 'restart-spooler', parameters: { Reason: 'r' } };
      expect((await t.call('POST', '/api/v1/executions', { headers: vip, body: { ...body, devices: [paris[0]] } })).status).toBe(202);
      expect((await t.call('POST', '/api/v1/executions', { headers: vip, body: { ...body, devices: [paris[1]] } })).status).toBe(404);
      const executions = await t.call('GET', '/api/v1/executions', { headers: vip });
      expect(executions.body.items.every((e: { deviceId: string }) => e.deviceId === paris[0])).toBe(true);

      // a category is dynamic: tagging a device puts it in reach
      await t.call('PATCH', `/api/v1/devices/${paris[1]}`, { headers: admin, body: { tags: ['site:paris', 'vip'] } });
      expect((await t.call('GET', `/api/v1/devices/${paris[1]}`, { headers: vip })).status).toBe(200);
      expect((await t.call('GET', '/api/v1/saved-queries/' + saved.id, { headers: admin })).body.usedByRoles).toEqual(['vip-support']);
    });

    it('guards a saved query that scopes a role: admin only to change, must stay a condition, cannot be deleted', async () => {
      const { body: saved } = await t.call('POST', '/api/v1/saved-queries', { headers: admin, body: { name: 'Lyon', query: 'devices | where tags contains "site:lyon"' } });
      await t.call('POST', '/api/v1/roles', {
        headers: admin,
        body: { name: 'lyon-viewer', permissions: ['devices:read'], deviceScope: { all: false, queries: [saved.id] } },
      });
      const viewer = await t.as('lyon-viewer');
      const ids = async () => (await t.call('GET', '/api/v1/devices', { headers: viewer })).body.items.map((d: { id: string }) => d.id).sort();
      expect(await ids()).toEqual([...lyon].sort());

      await seedRole(t.ctx, 'device-editor', { permissions: ['devices:read', 'devices:edit'], deviceScope: { all: true } });
      const widen = { name: 'Lyon', query: 'devices' };
      const denied = await t.call('PUT', `/api/v1/saved-queries/${saved.id}`, { headers: await t.as('device-editor'), body: widen });
      expect(denied.status).toBe(403);
      expect(await ids()).toEqual([...lyon].sort());
      const notCondition = await t.call('PUT', `/api/v1/saved-queries/${saved.id}`, { headers: admin, body: { name: 'Lyon', query: 'devices | limit 1' } });
      expect(notCondition.status).toBe(400);
      const narrowed = await t.call('PUT', `/api/v1/saved-queries/${saved.id}`, { headers: admin, body: { name: 'Lyon', query: `devices | where name == "lyon-00001"` } });
      expect(narrowed.status).toBe(200);
      // the change reaches the role's holders at once
      expect(await ids()).toEqual([lyon[1]]);
      const removal = await t.call('DELETE', `/api/v1/saved-queries/${saved.id}`, { headers: admin });
      expect(removal.status).toBe(409);
      expect(removal.body.error.details).toEqual({ roles: ['lyon-viewer'] });
    });

    it('refuses a role scope that names an unknown saved query or one that is not a condition', async () => {
      const { body: top } = await t.call('POST', '/api/v1/saved-queries', { headers: admin, body: { name: 'Top 1', query: 'devices | limit 1' } });
      for (const id of [top.id, '00000000-0000-4000-8000-000000000000']) {
        const res = await t.call('POST', '/api/v1/roles', { headers: admin, body: { name: 'nope', permissions: ['devices:read'], deviceScope: { queries: [id] } } });
        expect(res.status, JSON.stringify(res.body)).toBe(400);
      }
    });

    it('documents the new routes in OpenAPI with their permissions', async () => {
      const doc = (await t.call('GET', '/api/openapi.json')).body;
      const paths = Object.keys(doc.paths);
      const find = (suffix: string) => doc.paths[paths.find((p) => p.endsWith(suffix))!];
      expect(find('/devices/tags').post['x-fixpoint-permission']).toBe('devices:edit');
      expect(find('/devices/{id}').patch['x-fixpoint-permission']).toBe('devices:edit');
      expect(find('/saved-queries').get['x-fixpoint-permission']).toBe('devices:read');
      expect(find('/saved-queries/{id}').put['x-fixpoint-permission']).toBe('devices:edit');
    });
  });
}
