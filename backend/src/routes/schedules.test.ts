import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestBackend, type TestBackend } from '../testing/harness';
import { seedDevices, seedRole } from '../testing/fleet';
import { seedAutomatedAction } from '../testing/automation';
import { auditEntries } from '../testing/actions';
import { startScheduler } from '../services/schedules';

const base = '/api/v1/schedules';
const valid = { name: 'Disk usage', action: 'collect-disk', target: 'devices | where platform == "windows"', cron: '0 * * * *' };

describe('schedule routes', () => {
  let t: TestBackend;
  let clock = new Date('2025-05-01T10:30:00Z');

  beforeAll(async () => {
    t = await createTestBackend({ now: () => clock });
    await seedAutomatedAction(t.ctx);
    await seedAutomatedAction(t.ctx, { slug: 'manual-only', triggers: ['manual'] });
    // automation runs with its owner's rights: its authors also need to be allowed to run the action
    await seedRole(t.ctx, 'runner', { permissions: ['actions:run'], runnableActions: ['*'], deviceScope: { all: true } });
    await seedDevices(t.ctx, 2, { platform: 'windows' });
  });
  afterAll(() => t.close());

  it('creates, reads, lists, changes and deletes a schedule, auditing each change', async () => {
    const author = await t.as(['author', 'runner']);
    const created = await t.call('POST', base, { headers: author, body: { ...valid, parameters: { Token: 'x' } } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Disk usage', actionSlug: 'collect-disk', cron: '0 * * * *', intervalSec: null, enabled: true, retentionDays: 30,
      nextRunAt: '2025-05-01T11:00:00.000Z', parameters: { Token: '***' },
    });
    const id = created.body.id;
    const viewer = await t.as('viewer');
    expect((await t.call('GET', `${base}/${id}`, { headers: viewer })).body.id).toBe(id);
    const list = await t.call('GET', `${base}?limit=10`, { headers: viewer });
    expect(list.body).toMatchObject({ total: 1, next: null });

    const changed = await t.call('PUT', `${base}/${id}`, { headers: author, body: { intervalSec: 600 } });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body).toMatchObject({ cron: null, intervalSec: 600, nextRunAt: '2025-05-01T10:40:00.000Z' });
    const back = await t.call('PUT', `${base}/${id}`, { headers: author, body: { cron: '@daily', name: 'Daily' } });
    expect(back.body).toMatchObject({ cron: '@daily', intervalSec: null, name: 'Daily', nextRunAt: '2025-05-02T00:00:00.000Z' });

    expect((await t.call('POST', `${base}/${id}/disable`, { headers: author })).body.enabled).toBe(false);
    expect((await t.call('POST', `${base}/${id}/enable`, { headers: author })).body.enabled).toBe(true);

    const actions = (await auditEntries(t, 'schedule.create')).concat(await auditEntries(t, 'schedule.update'));
    expect(actions.map((a) => a.target)).toEqual([`schedule:${id}`, `schedule:${id}`, `schedule:${id}`]);
    expect(JSON.stringify(actions.map((a) => a.details))).not.toContain('"x"');
    expect(await auditEntries(t, 'schedule.disable')).toHaveLength(1);

    expect((await t.call('DELETE', `${base}/${id}`, { headers: author })).status).toBe(204);
    expect((await t.call('GET', `${base}/${id}`, { headers: viewer })).status).toBe(404);
    expect(await auditEntries(t, 'schedule.delete')).toHaveLength(1);
  });

  it('lists runs, newest first', async () => {
    const author = await t.as(['author', 'runner']);
    const { body: s } = await t.call('POST', base, { headers: author, body: { ...valid, cron: '*/10 * * * *' } });
    const scheduler = startScheduler(t.ctx, { background: false });
    for (const time of ['10:40', '10:50']) {
      clock = new Date(`2025-05-01T${time}:00Z`);
      await scheduler.tick();
    }
    await scheduler.stop();
    const runs = await t.call('GET', `${base}/${s.id}/runs`, { headers: await t.as('viewer') });
    expect(runs.status).toBe(200);
    expect(runs.body.total).toBe(2);
    expect(runs.body.items.map((r: { at: string }) => r.at)).toEqual(['2025-05-01T10:50:00.000Z', '2025-05-01T10:40:00.000Z']);
    expect(runs.body.items[1]).toMatchObject({ matched: 2, launched: 2, skipped: 0, error: null });
    const missing = await t.call('GET', `${base}/00000000-0000-4000-8000-000000000000/runs`, { headers: await t.as('viewer') });
    expect(missing.status).toBe(404);
  });

  it('rejects bad schedules with a 400 naming the problem', async () => {
    const author = await t.as(['author', 'runner']);
    const cases: [unknown, number, RegExp | object][] = [
      [{ ...valid, cron: '61 * * * *' }, 400, /cron: minute: 61/],
      [{ ...valid, cron: '0 0 30 2 *' }, 400, /never fires/],
      [{ ...valid, cron: undefined }, 400, /exactly one of cron and intervalSec/],
      [{ ...valid, intervalSec: 600 }, 400, /exactly one/],
      [{ ...valid, cron: undefined, intervalSec: 59 }, 400, /intervalSec/],
      [{ ...valid, target: 'devices | where nosuch ==' }, 400, { code: 'bad_request', details: { line: 1, column: 26 } }],
      [{ ...valid, target: 'executions' }, 400, /start with 'devices'/],
      [{ ...valid, target: 'devices | summarize count()' }, 400, /summarize is not allowed/],
      [{ ...valid, action: 'manual-only' }, 400, /does not allow the schedule trigger/],
      [{ ...valid, action: 'no-such-action' }, 400, /not found/],
      [{ ...valid, parameters: { Depth: 'deep' } }, 400, /parameters: /],
      [{ ...valid, parameters: { Nope: 1 } }, 400, /unknown parameter Nope/],
      [{ ...valid, retentionDays: 0 }, 400, /retentionDays/],
      [{ ...valid, enabled: 'yes' }, 400, /enabled/],
      [{ ...valid, surprise: true }, 400, /surprise|unrecognized/i],
      [{ ...valid, name: "x'); drop table schedules; --", target: `devices | where name == "'; drop table devices; --"` }, 201, {}],
    ];
    for (const [body, status, expected] of cases) {
      const res = await t.call('POST', base, { headers: author, body });
      expect(res.status, `${JSON.stringify(body)} → ${JSON.stringify(res.body)}`).toBe(status);
      if (expected instanceof RegExp) expect(res.body.error.message).toMatch(expected);
      else if (status >= 400) expect(res.body.error).toMatchObject(expected);
    }
    const { body: s } = await t.call('POST', base, { headers: author, body: valid });
    for (const [body, message] of [[{}, /at least one/], [{ cron: '* * * * *', intervalSec: 600 }, /only one/], [{ cron: null }, /exactly one/], [{ target: 'devices |' }, /line 1/]] as const) {
      const res = await t.call('PUT', `${base}/${s.id}`, { headers: author, body });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(message);
    }
    expect((await t.call('PUT', `${base}/not-a-uuid`, { headers: author, body: { name: 'x' } })).status).toBe(400);
  });

  it('needs actions:edit to write and devices:read to read', async () => {
    const { body: s } = await t.call('POST', base, { headers: await t.as(['author', 'runner']), body: valid });
    for (const role of ['support', 'viewer']) {
      const headers = await t.as(role);
      expect((await t.call('POST', base, { headers, body: valid })).status).toBe(403);
      expect((await t.call('PUT', `${base}/${s.id}`, { headers, body: { name: 'x' } })).status).toBe(403);
      expect((await t.call('POST', `${base}/${s.id}/disable`, { headers })).status).toBe(403);
      expect((await t.call('DELETE', `${base}/${s.id}`, { headers })).status).toBe(403);
      expect((await t.call('GET', `${base}/${s.id}/runs`, { headers })).status).toBe(200);
    }
    expect((await t.call('GET', base)).status).toBe(401);
  });
});
