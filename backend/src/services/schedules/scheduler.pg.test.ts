import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { executions, scheduleRuns } from '../../db/schema';
import { createTestBackend, type TestBackend } from '../../testing/harness';
import { seedDevices } from '../../testing/fleet';
import { seedAutomatedAction } from '../../testing/automation';
import { seedPrincipal } from '../../testing/principals';
import { createSchedule } from './write';
import { startScheduler } from './scheduler';

describe('scheduler on PostgreSQL', () => {
  let t: TestBackend;
  let clock = new Date('2025-05-01T10:00:30Z');

  beforeAll(async () => {
    t = await createTestBackend({ database: 'postgres', now: () => clock });
    await seedAutomatedAction(t.ctx);
    await seedDevices(t.ctx, 20, { platform: 'linux' });
  });
  afterAll(() => t.close());

  it('two schedulers racing fire each due schedule once', async () => {
    const principal = await seedPrincipal(t.ctx);
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) {
      const s = await createSchedule(t.ctx, {
        principal,
        schedule: { name: `s${i}`, description: '', action: 'collect-disk', parameters: {}, target: 'devices', cron: '* * * * *', enabled: true, retentionDays: 30 },
      });
      ids.push(s.id);
    }
    // two backend instances: the same database, their own scheduler each
    const one = startScheduler({ ...t.ctx }, { background: false });
    const two = startScheduler({ ...t.ctx }, { background: false });
    let fired = 0;
    for (const minute of ['01', '02', '03']) {
      clock = new Date(`2025-05-01T10:${minute}:00Z`);
      const counts = await Promise.all([one.tick(), two.tick(), one.tick(), two.tick()]);
      fired += counts.reduce((a, b) => a + b, 0);
    }
    await Promise.all([one.stop(), two.stop()]);
    expect(fired).toBe(8 * 3);
    for (const id of ids) {
      const runs = await t.ctx.db.select().from(scheduleRuns).where(eq(scheduleRuns.scheduleId, id));
      expect(runs.map((r) => r.at.toISOString()).sort()).toEqual(['01', '02', '03'].map((m) => `2025-05-01T10:${m}:00.000Z`));
    }
    // the first firing reached all 20 devices; later ones skip devices whose run is still queued
    const [total] = await t.ctx.db.select({ n: count() }).from(executions);
    expect(total!.n).toBe(8 * 20);
  });
});
