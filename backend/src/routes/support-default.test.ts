/**
 * The built-in support role works out of the box: it runs every action whose latest version allows the manual
 * trigger (`@manual`), new ones included, and nothing else; an admin can still narrow it to a list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleAction } from '../testing/actions';
import { insertDevice } from '../testing/campaigns';
import { createTestBackend, type TestBackend } from '../testing/harness';

describe('the built-in support role', () => {
  let t: TestBackend;
  let author: Record<string, string>;
  let admin: Record<string, string>;
  let support: Record<string, string>;
  let device: string;
  const create = async (slug: string, triggers: string[]) =>
    expect((await t.call('POST', '/api/v1/actions', { headers: author, body: sampleAction({ slug, name: slug, triggers: triggers as never }) })).status).toBe(201);
  const launch = (action: string) => t.call('POST', '/api/v1/executions', { headers: support, body: { action, devices: [device] } });
  const listed = async () => ((await t.call('GET', '/api/v1/actions', { headers: support })).body.items as { slug: string }[]).map((a) => a.slug).sort();

  beforeAll(async () => {
    t = await createTestBackend();
    author = await t.as('author');
    admin = await t.as('admin');
    support = await t.as('support', 'first-line@test.local');
    device = await insertDevice(t, { name: 'pc-support' });
    await create('restart-spooler', ['manual', 'extension', 'api']);
    await create('clean-temp-auto', ['detection', 'schedule']);
    await create('portal-reset', ['api']);
  });
  afterAll(() => t.close());

  it('is stored with @manual and runs the actions launchable by hand, not the automation-only ones', async () => {
    expect((await t.call('GET', '/api/v1/roles/support', { headers: admin })).body.runnableActions).toEqual(['@manual']);
    expect(await listed()).toEqual(['restart-spooler']);
    expect((await t.call('GET', '/api/v1/auth/me', { headers: support })).body.runnableActions).toEqual(['restart-spooler']);
    const ok = await launch('restart-spooler');
    expect(ok.status, JSON.stringify(ok.body)).toBeLessThan(300);
    for (const slug of ['clean-temp-auto', 'portal-reset']) {
      const refused = await launch(slug);
      expect(refused.status, slug).toBe(403);
      expect(refused.body.error.message).toBe(`you may not run action ${slug}`);
    }
  });

  it('follows the library: a new manual action is runnable at once, an archived one no longer', async () => {
    await create('flush-dns', ['manual']);
    expect(await listed()).toEqual(['flush-dns', 'restart-spooler']);
    expect((await launch('flush-dns')).status).toBeLessThan(300);
    expect((await t.call('DELETE', '/api/v1/actions/flush-dns', { headers: author })).status).toBeLessThan(300);
    expect(await listed()).toEqual(['restart-spooler']);
    // a new version that drops the manual trigger takes it out
    const body = sampleAction({ slug: 'restart-spooler', name: 'restart-spooler', triggers: ['api'] });
    expect((await t.call('PUT', '/api/v1/actions/restart-spooler', { headers: author, body })).status).toBe(200);
    expect(await listed()).toEqual([]);
    expect((await launch('restart-spooler')).status).toBe(403);
  });

  it('can still be narrowed to a list by an admin, and a custom role may use @manual too', async () => {
    const role = (await t.call('GET', '/api/v1/roles/support', { headers: admin })).body;
    const { id: _id, builtIn: _b, createdAt: _c, ...input } = role;
    const narrowed = await t.call('PUT', '/api/v1/roles/support', { headers: admin, body: { ...input, runnableActions: ['portal-reset'] } });
    expect(narrowed.status, JSON.stringify(narrowed.body)).toBe(200);
    expect(await listed()).toEqual(['portal-reset']);
    const custom = await t.call('POST', '/api/v1/roles', {
      headers: admin,
      body: { name: 'helpdesk', permissions: ['actions:run', 'devices:read'], runnableActions: ['@manual'] },
    });
    expect(custom.status, JSON.stringify(custom.body)).toBe(201);
    const typo = await t.call('POST', '/api/v1/roles', { headers: admin, body: { name: 'typo', permissions: ['actions:run'], runnableActions: ['@manuel'] } });
    expect(typo.status).toBe(400);
    expect(JSON.stringify(typo.body)).toContain('use an action slug, \\"@manual\\" or \\"*\\"');
  });
});
