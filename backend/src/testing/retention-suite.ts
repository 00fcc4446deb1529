/**
 * @module The retention suite, run on PGlite (services/retention/retention.test.ts) and on PostgreSQL
 * (retention.pg.test.ts): what the prune deletes and keeps, that history within retention stays queryable, its audit
 * entry, and two instances pruning at once.
 */
import { count, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectionEvents, devices, executionRequests, executions, helpRequests, webhookDeliveries, webhooks } from '../db/schema';
import { runRetention, startRetention } from '../services/retention';
import { auditEntries } from './actions';
import { seedAction, seedDevices } from './fleet';
import { createTestBackend, type TestBackend } from './harness';
import { seedDetectionRuns, seedHistory, seedRule } from './history';
import { seedAdmin } from './identity';
import { waitUntil } from './wait';

const day = 86_400_000;

export function retentionSuite(database: 'pglite' | 'postgres') {
  describe(`retention (${database})`, () => {
    const now = new Date('2026-06-01T12:00:00Z');
    const old = new Date(now.getTime() - 100 * day);
    const recent = new Date(now.getTime() - 10 * day);
    let t: TestBackend;
    let admin: Record<string, string>;
    let deviceIds: string[];

    const executionCount = async () => (await t.ctx.db.select({ n: count() }).from(executions))[0]!.n;
    const query = async (text: string) => {
      const res = await t.call('POST', '/api/v1/query', { headers: admin, body: { query: text } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.rows as unknown[][];
    };

    beforeAll(async () => {
      t = await createTestBackend({ database, now: () => now, env: { FIXPOINT_RETENTION_DAYS: '90', FIXPOINT_DETECTION_RETENTION_DAYS: '60' } });
      admin = await seedAdmin(t);
      await seedAction(t.ctx);
      deviceIds = await seedDevices(t.ctx, 4, { platform: 'linux' });
    });
    afterAll(() => t?.close());

    it('GET /settings tells any signed-in caller how long history is kept', async () => {
      const res = await t.call('GET', '/api/v1/settings', { headers: await t.as('viewer') });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ retention: { executionDays: 90, detectionDays: 60 } });
      expect((await t.call('GET', '/api/v1/settings')).status).toBe(401);
    });

    it('keeps everything when the retention is 0 days', async () => {
      const forever = await createTestBackend({ shareWith: t, now: () => now, env: { FIXPOINT_RETENTION_DAYS: '0' } });
      try {
        await seedHistory(t.ctx, { deviceIds, requests: 2, executions: 5, at: new Date(now.getTime() - 3000 * day), status: 'succeeded' });
        const result = await runRetention(forever.ctx);
        expect(result).toMatchObject({ complete: true, cutoffs: { executions: null, detectionEvents: null } });
        expect(await executionCount()).toBe(5);
      } finally {
        await forever.close();
        await t.ctx.db.delete(executions);
        await t.ctx.db.delete(executionRequests);
      }
    });

    it('deletes finished executions and emptied requests past the retention, keeps the rest and what is still running', async () => {
      const gone = await seedHistory(t.ctx, { deviceIds, requests: 5, executions: 40, at: old, status: 'succeeded' });
      const failedGone = await seedHistory(t.ctx, { deviceIds, requests: 1, executions: 3, at: old, status: 'failed' });
      const running = await seedHistory(t.ctx, { deviceIds, requests: 1, executions: 2, at: old, status: 'running' });
      const held = await seedHistory(t.ctx, { deviceIds, requests: 1, executions: 2, at: old, status: 'held' });
      const queued = await seedHistory(t.ctx, { deviceIds, requests: 1, executions: 2, at: old, status: 'queued' });
      const paused = await seedHistory(t.ctx, { deviceIds, requests: 1, executions: 3, at: old, status: 'succeeded', rolloutState: 'paused' });
      const kept = await seedHistory(t.ctx, { deviceIds, requests: 2, executions: 6, at: recent, status: 'succeeded' });
      // a help request goes with the executions of its time, screenshot and all
      const [, newHelp] = await t.ctx.db
        .insert(helpRequests)
        .values([
          { deviceId: deviceIds[0]!, user: 'ada', subject: 'Printer', description: 'old', screenshotMediaType: 'image/png', screenshotData: 'iVBORw0KGgo=', screenshotBytes: 8, createdAt: old },
          { deviceId: deviceIds[1]!, user: 'bob', subject: 'VPN', description: 'recent', createdAt: recent },
        ])
        .returning({ id: helpRequests.id });
      // finished webhook deliveries go with the executions of their time; one still pending stays whatever its age
      const [hook] = await t.ctx.db.insert(webhooks).values({ name: 'ticketing', url: 'https://hooks.example/x', secret: 's', events: ['execution.finished'] }).returning({ id: webhooks.id });
      const delivery = (status: 'pending' | 'delivered' | 'failed', createdAt: Date) => ({ webhookId: hook!.id, event: 'execution.finished', payload: {}, status, createdAt });
      const keptDeliveries = await t.ctx.db
        .insert(webhookDeliveries)
        .values([delivery('pending', old), delivery('delivered', recent)])
        .returning({ id: webhookDeliveries.id });
      await t.ctx.db.insert(webhookDeliveries).values([delivery('delivered', old), delivery('failed', old)]);
      // a device's latest outputs are its own fields, not its execution history
      await t.ctx.db.update(devices).set({ outputs: { 'restart-spooler.restarted': true } }).where(eq(devices.id, deviceIds[0]!));

      const result = await runRetention(t.ctx, { batchSize: 7 });
      expect(result.complete).toBe(true);
      expect(result.counts).toMatchObject({ executions: 43, requests: 6, helpRequests: 1, webhookDeliveries: 2 });
      const deliveriesLeft = await t.ctx.db.select({ id: webhookDeliveries.id }).from(webhookDeliveries);
      expect(deliveriesLeft.map((d) => d.id).sort()).toEqual(keptDeliveries.map((d) => d.id).sort());
      expect((await t.ctx.db.select({ id: helpRequests.id }).from(helpRequests)).map((h) => h.id)).toEqual([newHelp!.id]);
      expect(result.cutoffs.executions).toEqual(new Date(now.getTime() - 90 * day));

      const left = await t.ctx.db.select({ id: executionRequests.id }).from(executionRequests);
      expect(left.map((r) => r.id).sort()).toEqual([...running, ...held, ...queued, ...paused, ...kept].sort());
      expect(left.some((r) => [...gone, ...failedGone].includes(r.id))).toBe(false);
      expect(await executionCount()).toBe(2 + 2 + 2 + 3 + 6);

      // history within the retention stays queryable, the latest outputs too
      expect(await query('executions | where status == "succeeded" and created_at > 30d | summarize count()')).toEqual([[6]]);
      expect(await query('executions | where status == "running" | summarize count()')).toEqual([[2]]);
      expect(await query('devices | where remote_action.restart_spooler.restarted == true | summarize count()')).toEqual([[1]]);

      const [entry] = (await auditEntries(t, 'retention.prune')).slice(-1);
      expect(entry).toMatchObject({ actor: 'system', details: { executions: 43, requests: 6, helpRequests: 1, webhookDeliveries: 2, detectionEvents: 0 } });

      // a second prune finds nothing and writes no audit entry
      const again = await runRetention(t.ctx);
      expect(again.counts).toEqual({ executions: 0, requests: 0, helpRequests: 0, webhookDeliveries: 0, detectionEvents: 0 });
      expect((await auditEntries(t, 'retention.prune')).length).toBe(1);
      await t.ctx.db.delete(helpRequests);
      await t.ctx.db.delete(webhooks);
      await t.ctx.db.delete(executions);
      await t.ctx.db.delete(executionRequests);
    });

    it('deletes finished detection runs past their own retention, keeps open ones and the rule health reads the rest', async () => {
      const ruleId = await seedRule(t.ctx);
      await seedDetectionRuns(t.ctx, { ruleId, deviceIds, count: 30, at: new Date(now.getTime() - 70 * day), status: 'succeeded' });
      await seedDetectionRuns(t.ctx, { ruleId, deviceIds, count: 5, at: new Date(now.getTime() - 70 * day), status: 'launch_failed' });
      await seedDetectionRuns(t.ctx, { ruleId, deviceIds, count: 2, at: new Date(now.getTime() - 70 * day), status: 'launched' });
      await seedDetectionRuns(t.ctx, { ruleId, deviceIds, count: 4, at: recent, status: 'failed' });

      const result = await runRetention(t.ctx, { batchSize: 8 });
      expect(result.counts).toEqual({ executions: 0, requests: 0, helpRequests: 0, webhookDeliveries: 0, detectionEvents: 35 });
      const statuses = await t.ctx.db
        .select({ status: detectionEvents.status, n: count() })
        .from(detectionEvents)
        .groupBy(detectionEvents.status)
        .orderBy(detectionEvents.status);
      expect(statuses).toEqual([{ status: 'failed', n: 4 }, { status: 'launched', n: 2 }]);
      const health = await t.call('GET', `/api/v1/detections/${ruleId}/health`, { headers: admin });
      expect(health.status).toBe(200);
      expect(health.body).toMatchObject({ fired: 6, failed: 4, inFlight: 2 });
      await t.ctx.db.delete(detectionEvents);
    });

    it('the background runner prunes on its own and audits what it deleted', async () => {
      const before = (await auditEntries(t, 'retention.prune')).length;
      await seedHistory(t.ctx, { deviceIds, requests: 3, executions: 12, at: old, status: 'failed' });
      const runner = startRetention(t.ctx, { firstAfterMs: 10 });
      try {
        const entries = await waitUntil(async () => {
          const all = await auditEntries(t, 'retention.prune');
          return all.length > before ? all.slice(before) : null;
        }, 15_000, 'a retention.prune audit entry');
        expect(entries[0]!.details).toMatchObject({ executions: 12, requests: 3 });
        expect(await executionCount()).toBe(0);
      } finally {
        await runner.stop();
      }
    });

    it('two instances pruning at once delete and count every row once', async () => {
      const second = await createTestBackend({ shareWith: t, now: () => now, env: { FIXPOINT_RETENTION_DAYS: '90', FIXPOINT_DETECTION_RETENTION_DAYS: '60' } });
      try {
        await seedHistory(t.ctx, { deviceIds, requests: 50, executions: 600, at: old, status: 'succeeded' });
        const running = await seedHistory(t.ctx, { deviceIds, requests: 3, executions: 9, at: old, status: 'running' });
        const ruleId = await seedRule(t.ctx, 'racing');
        await seedDetectionRuns(t.ctx, { ruleId, deviceIds, count: 300, at: old, status: 'succeeded' });
        const before = (await auditEntries(t, 'retention.prune')).length;

        // each instance keeps pruning until a pass finds nothing left, whichever of them held the lock
        const prune = async (backend: TestBackend) => {
          const totals = { executions: 0, requests: 0, helpRequests: 0, webhookDeliveries: 0, detectionEvents: 0 };
          // a pass that found the lock held ends at once: the other instance is pruning, so look again a moment later
          for (const end = Date.now() + 60_000; Date.now() < end; ) {
            const { counts, complete } = await runRetention(backend.ctx, { batchSize: 25 });
            totals.executions += counts.executions;
            totals.requests += counts.requests;
            totals.detectionEvents += counts.detectionEvents;
            if (complete && counts.executions + counts.requests + counts.detectionEvents === 0) return totals;
            if (!complete) await new Promise((resolve) => setTimeout(resolve, 20));
          }
          throw new Error('the prune never finished');
        };
        const [one, two] = await Promise.all([prune(t), prune(second)]);
        expect(one.executions + two.executions).toBe(600);
        expect(one.requests + two.requests).toBe(50);
        expect(one.detectionEvents + two.detectionEvents).toBe(300);

        const audited = (await auditEntries(t, 'retention.prune')).slice(before).map((e) => e.details as Record<string, number>);
        expect(audited.reduce((sum, d) => sum + d.executions!, 0)).toBe(600);
        expect(audited.reduce((sum, d) => sum + d.detectionEvents!, 0)).toBe(300);
        expect(await executionCount()).toBe(9);
        const left = await t.ctx.db.select({ id: executionRequests.id }).from(executionRequests).where(inArray(executionRequests.id, running));
        expect(left).toHaveLength(3);
      } finally {
        await second.close();
        await t.ctx.db.delete(executions);
        await t.ctx.db.delete(executionRequests);
        await t.ctx.db.delete(detectionEvents);
      }
    });

    if (database === 'postgres') {
      it('leaves the prune to the instance that holds its lock', async () => {
        const second = await createTestBackend({ shareWith: t, now: () => now, env: { FIXPOINT_RETENTION_DAYS: '90' } });
        try {
          await seedHistory(t.ctx, { deviceIds, requests: 2, executions: 10, at: old, status: 'succeeded' });
          const result = await t.ctx.db.transaction(async (tx) => {
            await tx.execute(sql`select pg_advisory_xact_lock(7305591)`);
            return runRetention(second.ctx);
          });
          expect(result).toMatchObject({ complete: false, counts: { executions: 0, requests: 0, helpRequests: 0, webhookDeliveries: 0, detectionEvents: 0 } });
          expect(await executionCount()).toBe(10);
          expect((await runRetention(second.ctx)).counts.executions).toBe(10);
        } finally {
          await second.close();
        }
      });
    }
  });
}
