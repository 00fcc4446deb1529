/**
 * @module The staged rollout suite, run on PGlite (services/rollouts/rollout.test.ts) and on PostgreSQL
 * (rollout.pg.test.ts), where two backend contexts on one database see the same results and release a wave once.
 */
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, executions } from '../db/schema';
import { advanceRollout, startRolloutEngine } from '../services/rollouts';
import { expireOverdue } from '../services/executions';
import { runDueSchedules } from '../services/schedules';
import { finishExecution, seedAutomatedAction } from './automation';
import { sampleAction, seedAction, seedDevices, seedRole } from './fleet';
import { createTestBackend, type TestBackend } from './harness';

export function rolloutSuite(database: 'pglite' | 'postgres') {
  describe(`staged rollouts (${database})`, () => {
    let t: TestBackend;
    let admin: Record<string, string>;
    let support: Record<string, string>;
    let ids: string[];
    let notified: string[] = [];
    let clock = new Date(Math.floor(Date.now() / 1000) * 1000);

    beforeAll(async () => {
      t = await createTestBackend({ database, now: () => clock });
      admin = await t.as('admin');
      await seedAction(t.ctx, sampleAction({ parameters: [] }));
      ids = await seedDevices(t.ctx, 200, { platform: 'windows' });
      await seedRole(t.ctx, 'runner', { deviceScope: { all: true } });
      support = await t.as('runner');
      await seedRole(t.ctx, 'stager', { permissions: ['actions:run', 'actions:run_unstaged', 'devices:read'], deviceScope: { all: true } });
      t.ctx.dispatcher = { notify: (d) => notified.push(...d), isOnline: () => false };
    });
    afterAll(() => t.close());

    const launch = (body: Record<string, unknown>, headers = admin) =>
      t.call('POST', '/api/v1/executions', { headers, body: { action: 'restart-spooler', parameters: {}, ...body } });
    const rowsOf = (requestId: string) =>
      t.ctx.db.select().from(executions).where(eq(executions.requestId, requestId)).orderBy(asc(executions.seq));
    const finishWave = async (requestId: string, wave: number, outcome: (i: number) => 'succeeded' | 'failed') => {
      const rows = (await rowsOf(requestId)).filter((r) => r.wave === wave);
      for (const [i, r] of rows.entries()) await finishExecution(t.ctx, r, outcome(i));
      return rows.length;
    };
    const summary = async (id: string) => (await t.call('GET', `/api/v1/requests/${id}`, { headers: admin })).body;

    it('asks for the device count above the threshold and answers 409 with the real count', async () => {
      const targets = ids.slice(0, 51);
      const missing = await launch({ devices: targets });
      expect(missing.status).toBe(409);
      expect(missing.body.error).toMatchObject({ code: 'confirmation_required', details: { deviceCount: 51 } });
      const wrong = await launch({ devices: [...targets, targets[0]!], confirmDeviceCount: 52 });
      expect(wrong.status).toBe(409);
      expect(wrong.body.error.details).toEqual({ deviceCount: 51 });
      // at the threshold nothing is asked, and nothing is staged
      const small = await launch({ devices: ids.slice(0, 50) });
      expect(small.status).toBe(202);
      expect(small.body.executions.every((e: { status: string }) => e.status === 'queued')).toBe(true);
      expect((await summary(small.body.requestId)).rollout).toBeNull();
    });

    it('stages a big launch by default: the first wave queued, the rest held', async () => {
      notified = [];
      const res = await launch({ devices: ids, confirmDeviceCount: 200 });
      expect(res.status).toBe(202);
      const statuses = res.body.executions.map((e: { status: string }) => e.status);
      // default waves 1 %, 10 %, 50 %, 100 % of 200: 2, 20, 100, 200 devices
      expect(statuses.filter((s: string) => s === 'queued')).toHaveLength(2);
      expect(statuses.filter((s: string) => s === 'held')).toHaveLength(198);
      expect(notified).toEqual(ids.slice(0, 2));
      const s = await summary(res.body.requestId);
      expect(s.rollout).toMatchObject({ state: 'running', currentWave: 1, pausedReason: null });
      expect(s.rollout.waves.map((w: { devices: number }) => w.devices)).toEqual([2, 18, 80, 100]);
      expect(s.rollout.waves.map((w: { minSuccessRate: number }) => w.minSuccessRate)).toEqual([1, 0.9, 0.9, 0.9]);
      expect(s.counts).toMatchObject({ queued: 2, held: 198 });
    });

    it('refuses rollout: null above the threshold without actions:run_unstaged, and allows it with', async () => {
      const targets = ids.slice(0, 60);
      const refused = await launch({ devices: targets, confirmDeviceCount: 60, rollout: null }, support);
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toContain('actions:run_unstaged');
      const allowed = await launch({ devices: targets, confirmDeviceCount: 60, rollout: null }, await t.as('stager'));
      expect(allowed.status).toBe(202);
      expect(allowed.body.executions.every((e: { status: string }) => e.status === 'queued')).toBe(true);
      const bad = await launch({ devices: targets, confirmDeviceCount: 60, rollout: { waves: [50, 20, 100] } });
      expect(bad.status).toBe(400);
      const notAll = await launch({ devices: targets, confirmDeviceCount: 60, rollout: { waves: [10, 50] } });
      expect(notAll.status).toBe(400);
    });

    it('pauses on a failing first wave with the rest held, and resume continues', async () => {
      const res = await launch({ devices: ids.slice(0, 20), rollout: { waves: [10, 50, 100] } });
      const requestId = res.body.requestId as string;
      expect(await finishWave(requestId, 0, (i) => (i === 0 ? 'failed' : 'succeeded'))).toBe(2);
      await advanceRollout(t.ctx, requestId);
      const s = await summary(requestId);
      expect(s.rollout.state).toBe('paused');
      expect(s.rollout.pausedReason).toBe('wave 1: 1 of 2 runs succeeded (50 %), below the 100 % required');
      expect(s.counts.held).toBe(18);
      // a second step changes nothing while paused
      await advanceRollout(t.ctx, requestId);
      expect((await summary(requestId)).counts.held).toBe(18);

      const resumed = await t.call('POST', `/api/v1/requests/${requestId}/resume`, { headers: support });
      expect(resumed.status).toBe(200);
      expect(resumed.body.rollout).toMatchObject({ state: 'running', currentWave: 2 });
      expect(resumed.body.rollout.waves[1].counts).toMatchObject({ queued: 8, held: 0 });
      expect((await t.call('POST', `/api/v1/requests/${requestId}/resume`, { headers: support })).status).toBe(409);
      // paused by hand: wave 2 ends well, yet wave 3 waits for a resume
      const paused = await t.call('POST', `/api/v1/requests/${requestId}/pause`, { headers: support });
      expect(paused.body.rollout).toMatchObject({ state: 'paused', pausedReason: expect.stringMatching(/^paused by user:runner/) });
      await finishWave(requestId, 1, () => 'succeeded');
      await advanceRollout(t.ctx, requestId);
      expect((await summary(requestId)).rollout).toMatchObject({ state: 'paused', currentWave: 2 });
      expect((await summary(requestId)).counts.held).toBe(10);
      expect((await t.call('POST', `/api/v1/requests/${requestId}/resume`, { headers: support })).body.rollout.currentWave).toBe(3);
      const audit = await t.ctx.db.select().from(auditLog).where(eq(auditLog.target, `request:${requestId}`));
      expect(audit.map((a) => a.action)).toEqual(['rollout.pause', 'rollout.resume', 'rollout.release', 'rollout.pause', 'rollout.resume', 'rollout.release']);
    });

    it('completes a good rollout wave by wave, waiting waitSec between waves', async () => {
      const res = await launch({ devices: ids.slice(0, 10), rollout: { waves: [10, 50, 100], waitSec: 60, minSuccessRate: 0.5 } });
      const requestId = res.body.requestId as string;
      const waveOf = async () => (await summary(requestId)).rollout;
      await finishWave(requestId, 0, () => 'succeeded');
      await advanceRollout(t.ctx, requestId);
      expect(await waveOf()).toMatchObject({ state: 'running', currentWave: 1, nextWaveAt: new Date(clock.getTime() + 60_000).toISOString() });
      clock = new Date(clock.getTime() + 61_000);
      await advanceRollout(t.ctx, requestId);
      expect(await waveOf()).toMatchObject({ state: 'running', currentWave: 2, nextWaveAt: null });
      // one failure of four in wave 2 is above the 50 % asked
      await finishWave(requestId, 1, (i) => (i === 0 ? 'failed' : 'succeeded'));
      await advanceRollout(t.ctx, requestId);
      clock = new Date(clock.getTime() + 61_000);
      await advanceRollout(t.ctx, requestId);
      expect((await waveOf()).currentWave).toBe(3);
      await finishWave(requestId, 2, () => 'succeeded');
      await advanceRollout(t.ctx, requestId);
      const done = await waveOf();
      expect(done.state).toBe('completed');
      expect(done.waves.map((w: { counts: { succeeded: number } }) => w.counts.succeeded)).toEqual([1, 3, 5]);
    });

    it('trips the breaker mid-wave, counting neither canceled nor expired runs', async () => {
      const res = await launch({
        devices: ids.slice(0, 20),
        rollout: { waves: [50, 100], minSuccessRate: 0, breaker: { window: 5, minResults: 3, failureRate: 0.6 } },
      });
      const requestId = res.body.requestId as string;
      const rows = (await rowsOf(requestId)).filter((r) => r.wave === 0);
      await finishExecution(t.ctx, rows[0]!, 'canceled');
      await finishExecution(t.ctx, rows[1]!, 'failed');
      await finishExecution(t.ctx, rows[2]!, 'failed');
      await advanceRollout(t.ctx, requestId);
      expect((await summary(requestId)).rollout.state).toBe('running');
      await finishExecution(t.ctx, rows[3]!, 'succeeded');
      await finishExecution(t.ctx, rows[4]!, 'failed');
      await advanceRollout(t.ctx, requestId);
      const s = await summary(requestId);
      expect(s.rollout).toMatchObject({ state: 'paused', pausedReason: 'circuit breaker: 3 of the last 4 runs failed (threshold 60 %)' });
      expect(s.counts.held).toBe(10);
    });

    it('cancels what is queued or held and stops the rollout; held executions still expire', async () => {
      const res = await launch({ devices: ids.slice(0, 10), rollout: { waves: [20, 100] }, expirySec: 60 });
      const requestId = res.body.requestId as string;
      const canceled = await t.call('POST', `/api/v1/requests/${requestId}/cancel`, { headers: admin });
      expect(canceled.status).toBe(200);
      expect(canceled.body.counts).toMatchObject({ canceled: 10, held: 0, queued: 0 });
      expect(canceled.body.rollout.state).toBe('canceled');
      expect((await t.call('POST', `/api/v1/requests/${requestId}/cancel`, { headers: admin })).status).toBe(409);
      expect((await t.call('POST', `/api/v1/requests/${requestId}/cancel`, { headers: await t.as('viewer') })).status).toBe(403);

      const other = await launch({ devices: ids.slice(10, 20), rollout: { waves: [20, 100] }, expirySec: 60 });
      clock = new Date(clock.getTime() + 61_000);
      await expireOverdue(t.ctx);
      const s = await summary(other.body.requestId);
      expect(s.counts).toMatchObject({ expired: 10, held: 0 });
      // a wave whose runs all expired gave no evidence: the rollout pauses instead of going on
      await advanceRollout(t.ctx, other.body.requestId);
      expect((await summary(other.body.requestId)).rollout).toMatchObject({ state: 'paused', currentWave: 1 });
    });

    it('stages schedule firings: the saved rollout, the default above the threshold, unstaged only with the right', async () => {
      await seedAutomatedAction(t.ctx);
      const lab = await seedDevices(t.ctx, 60, { platform: 'windows', tags: ['lab'] });
      const schedule = (rollout?: unknown) => ({
        name: `lab ${Math.random()}`, action: 'collect-disk', parameters: {}, target: 'devices | where tags contains "lab"', intervalSec: 60,
        ...(rollout !== undefined && { rollout }),
      });
      const staged = await t.call('POST', '/api/v1/schedules', { headers: admin, body: schedule({ waves: [10, 100] }) });
      expect(staged.status).toBe(201);
      expect(staged.body).toMatchObject({ rollout: { waves: [10, 100] }, unstaged: false });
      expect((await t.call('POST', '/api/v1/schedules', { headers: support, body: schedule(null) })).status).toBe(403);
      clock = new Date(clock.getTime() + 61_000);
      await runDueSchedules(t.ctx);
      const runs = await t.call('GET', `/api/v1/schedules/${staged.body.id}/runs`, { headers: admin });
      const s = await summary(runs.body.items[0].requestIds[0]);
      expect(s.rollout.waves.map((w: { devices: number }) => w.devices)).toEqual([6, 54]);
      expect(s.counts).toMatchObject({ queued: 6, held: 54 });
      expect(lab).toHaveLength(60);
    });

    it('releases a wave exactly once when two engines see the same results', async () => {
      const second = await createTestBackend({ database, now: () => clock, shareWith: t });
      try {
        const engines = [startRolloutEngine(t.ctx, { background: false }), startRolloutEngine(second.ctx, { background: false })];
        const res = await launch({ devices: ids.slice(100, 200), confirmDeviceCount: 100, rollout: { waves: [5, 100] } });
        const requestId = res.body.requestId as string;
        const wave0 = (await rowsOf(requestId)).filter((r) => r.wave === 0);
        expect(wave0).toHaveLength(5);
        for (const r of wave0) await finishExecution(t.ctx, r, 'succeeded');
        // both contexts learn of every result (as the event relay does across instances) and both sweep
        for (const r of wave0)
          second.ctx.events.publish({ type: 'execution', id: r.id, requestId, deviceId: r.deviceId, status: 'succeeded', at: clock.toISOString() });
        await Promise.all([...engines.map((e) => e.sweep()), ...engines.map((e) => e.settle())]);
        await Promise.all(engines.map((e) => e.settle()));
        const releases = await t.ctx.db
          .select()
          .from(auditLog)
          .where(and(eq(auditLog.target, `request:${requestId}`), eq(auditLog.action, 'rollout.release')));
        expect(releases).toHaveLength(1);
        expect((await summary(requestId)).counts).toMatchObject({ queued: 95, held: 0, succeeded: 5 });
        await Promise.all(engines.map((e) => e.stop()));
      } finally {
        await second.close();
      }
    });
  });
}
