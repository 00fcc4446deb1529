/**
 * @module The schedule timing suite, run on PGlite (schedules-timing.test.ts) and on PostgreSQL
 * (schedules-timing.postgres.test.ts): device-local time, spread, failure damping, and saved queries as targets,
 * through the API and the scheduler.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScheduleRun } from '@fixpoint/protocol';
import { pendingForDevice, transitionExecution } from '../services/executions';
import { startScheduler, type Scheduler } from '../services/schedules';
import { executionsBy, finishExecution, seedAutomatedAction } from './automation';
import { envelopeVerifies } from './envelopes';
import { seedDevices, seedRole } from './fleet';
import { createTestBackend, type TestBackend } from './harness';

const base = '/api/v1/schedules';
const hour = 3600_000;

export function scheduleTimingSuite(database: 'pglite' | 'postgres') {
  describe(`schedule timing and targets (${database})`, () => {
    let t: TestBackend;
    let clock = new Date('2025-05-01T10:30:00Z');
    let scheduler: Scheduler;
    let author: Record<string, string>;
    let lab: string[];
    let office: string[];
    const at = (iso: string) => (clock = new Date(iso));
    const create = async (body: Record<string, unknown>) => {
      const res = await t.call('POST', base, { headers: author, body: { action: 'collect-disk', ...body } });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body as { id: string; nextRunAt: string };
    };
    const runs = async (id: string, headers = author): Promise<ScheduleRun[]> => (await t.call('GET', `${base}/${id}/runs`, { headers })).body.items;

    beforeAll(async () => {
      t = await createTestBackend({ database, now: () => clock });
      await seedAutomatedAction(t.ctx);
      await seedRole(t.ctx, 'runner', { permissions: ['actions:run', 'actions:run_unstaged'], runnableActions: ['*'], deviceScope: { all: true } });
      await seedRole(t.ctx, 'categorizer', { permissions: ['devices:read', 'devices:edit'], deviceScope: { all: true } });
      await seedRole(t.ctx, 'office-viewer', { permissions: ['devices:read'], deviceScope: { tags: ['office'] } });
      author = await t.as(['author', 'runner', 'categorizer']);
      lab = await seedDevices(t.ctx, 3, { tags: ['lab'], platform: 'linux', namePrefix: 'lab' });
      office = await seedDevices(t.ctx, 2, { tags: ['office'], platform: 'linux', namePrefix: 'office' });
      scheduler = startScheduler(t.ctx, { background: false });
    });
    afterAll(async () => {
      await scheduler?.stop();
      await t?.close();
    });

    it('device time: fires when UTC+14 reaches the time, and signs each envelope’s local wall-clock hold', async () => {
      at('2025-05-01T10:30:00Z');
      const s = await create({ name: 'Morning inventory', target: 'devices | where tags contains "lab"', cron: '0 9 * * *', timezone: 'device' });
      // 09:00 on May 2 on the earliest clocks is 19:00 UTC on May 1
      expect(s).toMatchObject({ timezone: 'device', spreadSec: 0, damping: { failures: 10, skipSec: 43_200 }, nextRunAt: '2025-05-01T19:00:00.000Z' });
      const interval = await t.call('POST', base, { headers: author, body: { name: 'x', action: 'collect-disk', target: 'devices', intervalSec: 600, timezone: 'device' } });
      expect(interval.status).toBe(400);
      expect(JSON.stringify(interval.body)).toMatch(/device time needs a cron/);

      at('2025-05-01T19:00:00Z');
      expect(await scheduler.tick()).toBe(1);
      const first = await executionsBy(t.ctx, `schedule:${s.id}`);
      expect(first).toHaveLength(3);
      for (const e of first) {
        expect(e.notBefore).toBe('2025-05-02T09:00:00');
        // the action's hour, after the 26 hours the latest clocks (UTC-12) take to reach the time
        expect(e.expiresAt.getTime() - clock.getTime()).toBe(27 * hour);
        const [pending] = await pendingForDevice(t.ctx, e.deviceId);
        expect(pending!.envelope.payload.notBefore).toBe('2025-05-02T09:00:00');
        expect(envelopeVerifies(t.ctx.signingKey, pending!.envelope)).toBe(true);
        const moved = { ...pending!.envelope.payload, notBefore: '2025-05-01T09:00:00' };
        expect(envelopeVerifies(t.ctx.signingKey, { ...pending!.envelope, payload: moved })).toBe(false);
      }

      // A day later the devices still hold yesterday's envelope (delivered, waiting for their clock): they get today's too.
      for (const e of first) await transitionExecution(t.ctx, { executionId: e.id, deviceId: e.deviceId, to: 'delivered' });
      at('2025-05-02T19:00:00Z');
      expect(await scheduler.tick()).toBe(1);
      const second = (await executionsBy(t.ctx, `schedule:${s.id}`)).slice(3);
      expect(second.map((e) => e.notBefore)).toEqual(['2025-05-03T09:00:00', '2025-05-03T09:00:00', '2025-05-03T09:00:00']);
      expect((await runs(s.id))[0]).toMatchObject({ matched: 3, launched: 3, skipped: 0 });
      await t.call('DELETE', `${base}/${s.id}`, { headers: author });
    });

    it('spread: each device gets a stable offset within spreadSec, the same at every firing', async () => {
      const many = await seedDevices(t.ctx, 120, { tags: ['spread'], platform: 'linux', namePrefix: 'spread' });
      at('2025-05-03T00:00:00Z');
      const s = await create({ name: 'Spread', target: 'devices | where tags contains "spread"', cron: '0 * * * *', spreadSec: 600, rollout: null });
      const offsets = async (fromIndex: number) => {
        const rows = (await executionsBy(t.ctx, `schedule:${s.id}`)).slice(fromIndex);
        return new Map(rows.map((e) => [e.deviceId, (Date.parse(e.notBefore!) - clock.getTime()) / 1000]));
      };
      at('2025-05-03T01:00:00Z');
      await scheduler.tick();
      const first = await offsets(0);
      expect(first.size).toBe(120);
      for (const sec of first.values()) {
        expect(Number.isInteger(sec)).toBe(true);
        expect(sec).toBeGreaterThanOrEqual(0);
        expect(sec).toBeLessThan(600);
      }
      // spread out: every minute of the ten gets some devices, and no second more than a few
      const minutes = new Set([...first.values()].map((s) => Math.floor(s / 60)));
      expect(minutes.size).toBe(10);
      const perSecond = new Map<number, number>();
      for (const sec of first.values()) perSecond.set(sec, (perSecond.get(sec) ?? 0) + 1);
      expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(4);
      // a spread as long as an interval is refused
      const overlapping = await t.call('POST', base, { headers: author, body: { name: 'x', action: 'collect-disk', target: 'devices', intervalSec: 600, spreadSec: 600 } });
      expect(overlapping.status).toBe(400);
      expect(JSON.stringify(overlapping.body)).toMatch(/spreadSec must be shorter than the interval/);
      // the expiry covers the spread
      const [row] = await executionsBy(t.ctx, `schedule:${s.id}`);
      expect(row!.expiresAt.getTime() - clock.getTime()).toBe(hour + 600_000);

      // the next firing: the same offsets (envelopes held on the devices are not counted as pending)
      for (const e of await executionsBy(t.ctx, `schedule:${s.id}`)) await transitionExecution(t.ctx, { executionId: e.id, deviceId: e.deviceId, to: 'delivered' });
      at('2025-05-03T02:00:00Z');
      await scheduler.tick();
      const second = await offsets(120);
      expect(second.size).toBe(120);
      for (const id of many) expect(second.get(id)).toBe(first.get(id));
      await t.call('DELETE', `${base}/${s.id}`, { headers: author });
    });

    it('failure damping: a device failing N times in a row is skipped until a while after its last failure, shown in the runs', async () => {
      at('2025-05-04T00:00:00Z');
      const s = await create({ name: 'Damped', target: 'devices | where tags contains "lab" or tags contains "office"', intervalSec: 600, damping: { failures: 2, skipSec: 3600 } });
      const failing = lab[0]!;
      const fireAndFinish = async (iso: string) => {
        at(iso);
        expect(await scheduler.tick()).toBe(1);
        for (const e of await executionsBy(t.ctx, `schedule:${s.id}`))
          if (e.status === 'queued') await finishExecution(t.ctx, e, e.deviceId === failing ? 'failed' : 'succeeded');
      };
      await fireAndFinish('2025-05-04T00:10:00Z');
      await fireAndFinish('2025-05-04T00:20:00Z');
      at('2025-05-04T00:30:00Z');
      expect(await scheduler.tick()).toBe(1);
      const [run] = await runs(s.id);
      expect(run).toMatchObject({ matched: 5, launched: 4, skipped: 1, damped: 1 });
      // the last failure finished at 00:20; skipped for an hour from then
      expect(run!.skippedDevices).toEqual([{ deviceId: failing, deviceName: expect.stringMatching(/^lab/), reason: 'failing', failures: 2, until: '2025-05-04T01:20:00.000Z' }]);
      // someone who sees only the office devices sees the damped lab device neither counted nor named
      const officeViewer = await t.as('office-viewer');
      expect((await runs(s.id, officeViewer))[0]).toMatchObject({ damped: null, skippedDevices: [] });
      expect(office).toHaveLength(2);

      // still skipped at 01:10, back at 01:20; a success then lifts the damping
      for (const e of await executionsBy(t.ctx, `schedule:${s.id}`)) if (e.status === 'queued') await finishExecution(t.ctx, e, 'succeeded');
      at('2025-05-04T01:10:00Z');
      await scheduler.tick();
      expect((await runs(s.id))[0]).toMatchObject({ damped: 1 });
      for (const e of await executionsBy(t.ctx, `schedule:${s.id}`)) if (e.status === 'queued') await finishExecution(t.ctx, e, 'succeeded');
      at('2025-05-04T01:20:00Z');
      await scheduler.tick();
      expect((await runs(s.id))[0]).toMatchObject({ launched: 5, damped: 0, skippedDevices: [] });
      const queued = (await executionsBy(t.ctx, `schedule:${s.id}`)).filter((e) => e.status === 'queued');
      expect(queued.filter((e) => e.deviceId === failing)).toHaveLength(1);
      for (const e of queued) await finishExecution(t.ctx, e, 'succeeded');
      at('2025-05-04T01:30:00Z');
      await scheduler.tick();
      expect((await runs(s.id))[0]).toMatchObject({ launched: 5, damped: 0 });

      // damping can be switched off
      const off = await t.call('PUT', `${base}/${s.id}`, { headers: author, body: { damping: null } });
      expect(off.body.damping).toBeNull();
      await t.call('DELETE', `${base}/${s.id}`, { headers: author });
    });

    it('saved queries as targets: read at each firing, refused when not a condition, and kept while a schedule uses them', async () => {
      const saved = await t.call('POST', '/api/v1/saved-queries', { headers: author, body: { name: 'Lab machines', query: 'devices | where tags contains "lab"' } });
      expect(saved.status, JSON.stringify(saved.body)).toBe(201);
      const limited = await t.call('POST', '/api/v1/saved-queries', { headers: author, body: { name: 'First two', query: 'devices | limit 2' } });
      at('2025-05-05T00:00:00Z');
      const s = await create({ name: 'Lab by category', target: 'devices | where name != "lab-00001"', savedQuery: 'Lab machines', intervalSec: 600, damping: null });
      expect(s).toMatchObject({ savedQuery: { id: saved.body.id, name: 'Lab machines' } });
      const bad = await t.call('POST', base, { headers: author, body: { name: 'x', action: 'collect-disk', target: 'devices', intervalSec: 600, savedQuery: limited.body.id } });
      expect(bad.status).toBe(400);
      expect(JSON.stringify(bad.body)).toMatch(/savedQuery.*limit/);
      const missing = await t.call('POST', base, { headers: author, body: { name: 'x', action: 'collect-disk', target: 'devices', intervalSec: 600, savedQuery: 'Nope' } });
      expect(missing.status).toBe(400);

      at('2025-05-05T00:10:00Z');
      await scheduler.tick();
      // the lab devices, but lab-00001
      expect((await runs(s.id))[0]).toMatchObject({ matched: 2, launched: 2 });

      // the category changes: the next firing follows it
      const changed = await t.call('PUT', `/api/v1/saved-queries/${saved.body.id}`, {
        headers: author,
        body: { name: 'Lab machines', query: 'devices | where tags contains "lab" or tags contains "office"' },
      });
      expect(changed.status, JSON.stringify(changed.body)).toBe(200);
      at('2025-05-05T00:20:00Z');
      await scheduler.tick();
      expect((await runs(s.id))[0]).toMatchObject({ matched: 4, launched: 2, skipped: 2 });

      // a schedule's category must stay a condition, and cannot be deleted under it
      const toLimit = await t.call('PUT', `/api/v1/saved-queries/${saved.body.id}`, { headers: author, body: { name: 'Lab machines', query: 'devices | limit 3' } });
      expect(toLimit.status).toBe(400);
      const del = await t.call('DELETE', `/api/v1/saved-queries/${saved.body.id}`, { headers: author });
      expect(del.status).toBe(409);
      expect(del.body.error.message).toMatch(/Lab by category/);
      const cleared = await t.call('PUT', `${base}/${s.id}`, { headers: author, body: { savedQuery: null } });
      expect(cleared.body.savedQuery).toBeNull();
      expect((await t.call('DELETE', `/api/v1/saved-queries/${saved.body.id}`, { headers: author })).status).toBe(204);
    });
    it('saved queries as detection rule targets: evaluated with the rule, and again over the fleet when the query changes', async () => {
      const saved = await t.call('POST', '/api/v1/saved-queries', { headers: author, body: { name: 'Rule category', query: 'devices | where tags contains "lab"' } });
      expect(saved.status).toBe(201);
      const created = await t.call('POST', '/api/v1/detections', {
        headers: author,
        body: { name: 'Linux in category', condition: 'platform == "linux"', action: 'collect-disk', savedQuery: 'Rule category', enabled: false },
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body.savedQuery).toEqual({ id: saved.body.id, name: 'Rule category' });
      const id = created.body.id;
      const dryRun = async () => (await t.call('POST', `/api/v1/detections/${id}/dry-run`, { headers: author })).body;
      // the linux devices of the category only: the three lab ones, not the office or spread ones
      expect((await dryRun()).matching).toBe(3);
      expect((await t.call('PUT', `/api/v1/detections/${id}`, { headers: author, body: { enabled: true } })).status).toBe(200);
      expect((await t.call('GET', `/api/v1/detections/${id}/health`, { headers: author })).body.matches).toBe(3);

      const moved = await t.call('PUT', `/api/v1/saved-queries/${saved.body.id}`, { headers: author, body: { name: 'Rule category', query: 'devices | where tags contains "office"' } });
      expect(moved.status, JSON.stringify(moved.body)).toBe(200);
      expect((await t.call('GET', `/api/v1/detections/${id}/health`, { headers: author })).body.matches).toBe(2);
      expect((await dryRun()).matching).toBe(2);

      const bad = await t.call('POST', '/api/v1/detections', { headers: author, body: { name: 'x', condition: 'platform == "linux"', action: 'collect-disk', savedQuery: 'Nope' } });
      expect(bad.status).toBe(400);
      const del = await t.call('DELETE', `/api/v1/saved-queries/${saved.body.id}`, { headers: author });
      expect(del.status).toBe(409);
      expect(del.body.error.message).toMatch(/rule Linux in category/);
      expect((await t.call('PUT', `/api/v1/detections/${id}`, { headers: author, body: { savedQuery: null } })).body.savedQuery).toBeNull();
      expect((await t.call('DELETE', `/api/v1/saved-queries/${saved.body.id}`, { headers: author })).status).toBe(204);
    });
  });
}
