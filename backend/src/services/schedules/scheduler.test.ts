import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { AppContext } from '../../context';
import { actions, auditLog, scheduleRuns, schedules } from '../../db/schema';
import { createTestBackend, type TestBackend } from '../../testing/harness';
import { seedDevices } from '../../testing/fleet';
import { executionsBy, finishExecution, seedAutomatedAction } from '../../testing/automation';
import { expireOverdue, pendingForDevice } from '../executions';
import type { Principal } from '../identity/rights';
import { seedPrincipal } from '../../testing/principals';
import { createSchedule, setScheduleEnabled, updateSchedule } from './write';
import { startScheduler, type Scheduler } from './scheduler';

const minute = 60_000;

describe('scheduler', () => {
  let t: TestBackend;
  let ctx: AppContext;
  let clock: Date;
  let scheduler: Scheduler;
  let author: Principal;
  const at = (iso: string) => (clock = new Date(iso));
  const runsOf = (id: string) => ctx.db.select().from(scheduleRuns).where(eq(scheduleRuns.scheduleId, id)).orderBy(scheduleRuns.at);

  beforeAll(async () => {
    clock = new Date('2025-05-01T10:02:00Z');
    t = await createTestBackend({ now: () => clock });
    ctx = t.ctx;
    await seedAutomatedAction(ctx);
    author = await seedPrincipal(ctx);
    await seedDevices(ctx, 3, { tags: ['lab'], platform: 'windows', namePrefix: 'win' });
    await seedDevices(ctx, 2, { tags: ['lab'], platform: 'linux', namePrefix: 'lin' });
    await seedDevices(ctx, 2, { tags: ['lab'], platform: 'macos', namePrefix: 'mac' });
    await seedDevices(ctx, 2, { tags: ['office'], platform: 'windows', namePrefix: 'office' });
  });
  beforeEach(async () => {
    await scheduler?.stop();
    scheduler = startScheduler(ctx, { background: false });
    await ctx.db.delete(schedules);
  });
  afterAll(async () => {
    await scheduler?.stop();
    await t.close();
  });

  it('fires on time to the matching devices, queuing work for offline ones', async () => {
    at('2025-05-01T10:02:00Z');
    const s = await createSchedule(ctx, {
      principal: author,
      schedule: { name: 'disk', description: '', action: 'collect-disk', parameters: { Depth: 2, Token: 's3cret' }, target: 'devices | where tags contains "lab"', cron: '*/5 * * * *', enabled: true, retentionDays: 30 },
    });
    expect(s.nextRunAt).toBe('2025-05-01T10:05:00.000Z');
    expect(s.parameters).toEqual({ Depth: 2, Token: '***' });
    expect(await scheduler.tick()).toBe(0);
    at('2025-05-01T10:04:59Z');
    expect(await scheduler.tick()).toBe(0);
    at('2025-05-01T10:05:00Z');
    expect(await scheduler.tick()).toBe(1);
    expect(await scheduler.tick()).toBe(0);

    const [run] = await runsOf(s.id);
    // seven lab devices; the two macOS ones have no script
    expect(run).toMatchObject({ matched: 7, launched: 5, skipped: 2, error: null });
    expect(run!.requestIds).toHaveLength(1);
    const launched = await executionsBy(ctx, `schedule:${s.id}`);
    expect(launched).toHaveLength(5);
    for (const e of launched) {
      expect(e).toMatchObject({ trigger: 'schedule', status: 'queued', requestId: run!.requestIds[0], parameters: { Depth: 2 } });
      // the action's expiry: an offline device gets it when it returns within the hour
      expect(e.expiresAt.getTime() - clock.getTime()).toBe(3600_000);
      expect((await pendingForDevice(ctx, e.deviceId)).map((p) => p.executionId)).toEqual([e.id]);
    }
    const [row] = await ctx.db.select().from(schedules).where(eq(schedules.id, s.id));
    expect(row!.nextRunAt!.toISOString()).toBe('2025-05-01T10:10:00.000Z');
    const audits = await ctx.db.select().from(auditLog).where(and(eq(auditLog.action, 'execution.launch'), eq(auditLog.actor, `schedule:${s.id}`)));
    expect(audits).toHaveLength(1);
    expect(JSON.stringify(audits[0]!.details)).not.toContain('s3cret');

    // next firing: devices still holding a queued run are skipped, the ones that finished get a new run
    await finishExecution(ctx, launched[0]!, 'succeeded');
    at('2025-05-01T10:10:00Z');
    expect(await scheduler.tick()).toBe(1);
    const second = (await runsOf(s.id))[1]!;
    expect(second).toMatchObject({ matched: 7, launched: 1, skipped: 6 });
    expect((await executionsBy(ctx, `schedule:${s.id}`)).filter((e) => e.deviceId === launched[0]!.deviceId)).toHaveLength(2);

    // past the expiry, offline devices' runs expire and never run
    at('2025-05-01T11:06:00Z');
    await expireOverdue(ctx);
    const statuses = (await executionsBy(ctx, `schedule:${s.id}`)).map((e) => e.status);
    expect(statuses.filter((x) => x === 'expired')).toHaveLength(4);
  });

  it('keeps an interval in phase and fires once after a long gap', async () => {
    at('2025-05-01T12:00:00Z');
    const s = await createSchedule(ctx, {
      principal: author,
      schedule: { name: 'hourly', description: '', action: 'collect-disk', parameters: {}, target: 'devices | where name startswith "office"', intervalSec: 3600, enabled: true, retentionDays: 30 },
    });
    expect(s.nextRunAt).toBe('2025-05-01T13:00:00.000Z');
    at('2025-05-01T17:30:00Z');
    expect(await scheduler.tick()).toBe(1);
    const [row] = await ctx.db.select().from(schedules).where(eq(schedules.id, s.id));
    expect(row!.nextRunAt!.toISOString()).toBe('2025-05-01T18:00:00.000Z');
    expect(await runsOf(s.id)).toHaveLength(1);
  });

  it('does not fire while disabled, and counts from now when enabled again', async () => {
    at('2025-05-02T00:00:00Z');
    const s = await createSchedule(ctx, {
      principal: author,
      schedule: { name: 'off', description: '', action: 'collect-disk', parameters: {}, target: 'devices', cron: '0 * * * *', enabled: true, retentionDays: 30 },
    });
    const off = await setScheduleEnabled(ctx, { principal: author, id: s.id, enabled: false });
    expect(off.nextRunAt).toBeNull();
    at('2025-05-02T05:00:00Z');
    expect(await scheduler.tick()).toBe(0);
    const on = await setScheduleEnabled(ctx, { principal: author, id: s.id, enabled: true });
    expect(on.nextRunAt).toBe('2025-05-02T06:00:00.000Z');
    const audit = await ctx.db.select().from(auditLog).where(eq(auditLog.target, `schedule:${s.id}`));
    expect(audit.map((a) => a.action)).toEqual(['schedule.create', 'schedule.disable', 'schedule.enable']);
  });

  it('records failures on the run instead of throwing, and matches nothing without launching', async () => {
    at('2025-05-03T00:00:00Z');
    const none = await createSchedule(ctx, {
      principal: author,
      schedule: { name: 'none', description: '', action: 'collect-disk', parameters: {}, target: 'devices | where name == "nobody"', cron: '* * * * *', enabled: true, retentionDays: 30 },
    });
    const broken = await createSchedule(ctx, {
      principal: author,
      schedule: { name: 'broken', description: '', action: 'collect-disk', parameters: {}, target: 'devices', cron: '* * * * *', enabled: true, retentionDays: 30 },
    });
    await ctx.db.update(actions).set({ archived: true }).where(eq(actions.slug, 'collect-disk'));
    at('2025-05-03T00:01:00Z');
    expect(await scheduler.tick()).toBe(2);
    await ctx.db.update(actions).set({ archived: false }).where(eq(actions.slug, 'collect-disk'));
    expect((await runsOf(none.id))[0]).toMatchObject({ matched: 0, launched: 0, requestIds: [] });
    expect((await runsOf(broken.id))[0]!.error).toMatch(/archived/);
  });

  it('prunes run history past the retention', async () => {
    at('2025-06-01T00:00:00Z');
    const s = await createSchedule(ctx, {
      principal: author,
      schedule: { name: 'short', description: '', action: 'collect-disk', parameters: {}, target: 'devices | limit 1', cron: '0 0 * * *', enabled: true, retentionDays: 2 },
    });
    for (const day of ['02', '03', '04', '05']) {
      at(`2025-06-${day}T00:00:00Z`);
      expect(await scheduler.tick()).toBe(1);
    }
    // on June 5 the run of June 2 is more than two days old; June 3 is exactly two
    expect((await runsOf(s.id)).map((r) => r.at.toISOString().slice(0, 10))).toEqual(['2025-06-03', '2025-06-04', '2025-06-05']);
    await updateSchedule(ctx, { principal: author, id: s.id, changes: { retentionDays: 1 } });
    at(new Date(clock.getTime() + 2 * minute).toISOString());
    await scheduler.tick();
    expect((await runsOf(s.id)).map((r) => r.at.toISOString().slice(0, 10))).toEqual(['2025-06-05']);
  });
});
