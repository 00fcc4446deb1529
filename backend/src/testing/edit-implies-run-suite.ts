import type { Permission } from '@fixpoint/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEntries } from './actions';
import { sampleAction, seedAction, seedDevices, seedRole } from './fleet';
import { createTestBackend, type TestBackend } from './harness';
import { seedAdmin } from './identity';

/**
 * "May run what they may edit": a role option, off by default. With it, `actions:edit` also runs every action,
 * still within the role's device scope; without `actions:edit` it grants nothing.
 */
export function editImpliesRunSuite(database: 'pglite' | 'postgres') {
  describe(`RBAC: may run what they may edit (${database})`, () => {
    let r: TestBackend;
    let admin: Record<string, string>;
    let paris: string[];
    let lyon: string[];
    const launch = (headers: Record<string, string>, devices: string[]) =>
      r.call('POST', '/api/v1/executions', { headers, body: { action: 'restart-spooler', devices, parameters: { Reason: 'test' } } });

    beforeAll(async () => {
      r = await createTestBackend({ database });
      admin = await seedAdmin(r);
      await seedAction(r.ctx, sampleAction({ triggers: ['manual', 'api', 'schedule'] }));
      paris = await seedDevices(r.ctx, 2, { tags: ['site:paris'], namePrefix: 'paris' });
      lyon = await seedDevices(r.ctx, 1, { tags: ['site:lyon'], namePrefix: 'lyon' });
      const editor = { permissions: ['actions:edit', 'devices:read'] as Permission[], runnableActions: [], deviceScope: { tags: ['site:paris'] } };
      await seedRole(r.ctx, 'paris-editor', editor);
      await seedRole(r.ctx, 'paris-editor-runs', { ...editor, editImpliesRun: true });
      await seedRole(r.ctx, 'paris-viewer-runs', { ...editor, permissions: ['devices:read'], editImpliesRun: true });
    });
    afterAll(() => r.close());

    it('is off by default: a role created without it, and every built-in role, has it off', async () => {
      const res = await r.call('POST', '/api/v1/roles', { headers: admin, body: { name: 'plain', permissions: ['actions:edit'] } });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.editImpliesRun).toBe(false);
      const roles = (await r.call('GET', '/api/v1/roles', { headers: admin })).body.items as { builtIn: boolean; editImpliesRun: boolean }[];
      expect(roles.filter((x) => x.builtIn).every((x) => x.editImpliesRun === false)).toBe(true);
    });

    it('an editor without the option may not run; with it, runs every action, within its device scope only', async () => {
      const plain = await r.as('paris-editor');
      expect((await launch(plain, paris)).status).toBe(403);
      const runs = await r.as('paris-editor-runs');
      const me = await r.call('GET', '/api/v1/auth/me', { headers: runs });
      expect(me.body).toMatchObject({ permissions: expect.arrayContaining(['actions:edit', 'actions:run']), runnableActions: ['*'] });
      const ok = await launch(runs, paris);
      expect(ok.status, JSON.stringify(ok.body)).toBe(202);
      expect(ok.body.executions).toHaveLength(2);
      const outside = await launch(runs, lyon);
      expect(outside.status).toBe(404);
      // the list of actions it sees is the whole library, as for any author
      expect((await r.call('GET', '/api/v1/actions', { headers: runs })).body.items.map((a: { slug: string }) => a.slug)).toContain('restart-spooler');
    });

    it('grants nothing to a role without actions:edit', async () => {
      const viewer = await r.as('paris-viewer-runs');
      const res = await launch(viewer, paris);
      expect(res.status).toBe(403);
      expect((await r.call('GET', '/api/v1/auth/me', { headers: viewer })).body.permissions).toEqual(['devices:read']);
    });

    it('lets automation saved by such an editor run, and turning the option off takes the right away at once', async () => {
      const runs = await r.as('paris-editor-runs');
      const schedule = await r.call('POST', '/api/v1/schedules', { headers: runs, body: { name: 'nightly', action: 'restart-spooler', target: 'devices', intervalSec: 3600, parameters: { Reason: 'nightly' } } });
      expect(schedule.status, JSON.stringify(schedule.body)).toBe(201);
      const role = (await r.call('GET', '/api/v1/roles/paris-editor-runs', { headers: admin })).body;
      const { id: _id, builtIn: _b, createdAt: _c, ...input } = role;
      const off = await r.call('PUT', '/api/v1/roles/paris-editor-runs', { headers: admin, body: { ...input, editImpliesRun: false } });
      expect(off.status, JSON.stringify(off.body)).toBe(200);
      expect(off.body.editImpliesRun).toBe(false);
      expect((await launch(runs, paris)).status).toBe(403);
      const [entry] = (await auditEntries(r, 'role.update')).slice(-1);
      expect(entry?.details).toMatchObject({ editImpliesRun: false });
    });

    it('cannot be switched on for a built-in role', async () => {
      const support = (await r.call('GET', '/api/v1/roles/support', { headers: admin })).body;
      const { id: _id, builtIn: _b, createdAt: _c, ...input } = support;
      const res = await r.call('PUT', '/api/v1/roles/support', { headers: admin, body: { ...input, editImpliesRun: true } });
      expect(res.status).toBe(409);
      expect(res.body.error.details).toMatchObject({ locked: ['editImpliesRun'] });
    });
  });
}
