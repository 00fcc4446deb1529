import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LaunchRequest, type ExecutionEvent } from '@fixpoint/protocol';
import { auditLog, devices, executions } from '../../db/schema';
import type { Principal } from '../identity/rights';
import { sampleAction, seedAction, seedDevices, seedRole } from '../../testing/fleet';
import { createTestBackend, type TestBackend } from '../../testing/harness';
import { expireOverdue, startExpirySweeper } from './expire';
import { launchExecutions } from './launch';
import { pendingForDevice, pendingForDevices } from './pending';
import { transitionExecution } from './transition';

const admin = {
  kind: 'user', id: 'u-1', label: 'user:admin@test.local', permissions: new Set(['admin']), runnableActions: '*',
  scopes: [{ all: true, tags: [], platforms: [] }],
} as unknown as Principal;

describe('execution state machine', () => {
  let t: TestBackend;
  let now = new Date();
  let deviceA: string;
  let deviceB: string;
  let events: ExecutionEvent[];
  let notified: string[];

  const launch = async (devs: string[], extra: Record<string, unknown> = {}) => {
    const { response } = await launchExecutions(t.ctx, {
      principal: admin,
      request: LaunchRequest.parse({ action: 'restart-spooler', devices: devs, parameters: { Reason: 'r', Password: 'pw-secret' }, ...extra }),
    });
    return response.executions.map((e) => e.id);
  };
  const row = async (id: string) => (await t.ctx.db.select().from(executions).where(eq(executions.id, id)))[0]!;

  beforeAll(async () => {
    t = await createTestBackend({ now: () => now });
    await seedAction(t.ctx, sampleAction());
    [deviceA, deviceB] = (await seedDevices(t.ctx, 2, { platform: 'windows', tags: ['site:paris'] })) as [string, string];
    t.ctx.events.subscribe((e) => events.push(e));
    t.ctx.dispatcher = { notify: (ids) => notified.push(...ids), isOnline: () => false };
    await seedRole(t.ctx, 'lyon-runner', { deviceScope: { tags: ['site:lyon'] } });
    await seedRole(t.ctx, 'paris-no-run', { runnableActions: ['other'], deviceScope: { tags: ['site:paris'] } });
  });
  beforeEach(() => {
    events = [];
    notified = [];
  });
  afterAll(() => t.close());

  it('walks queued → delivered → running → succeeded, stamping each step and erasing secrets at the end', async () => {
    const [id] = await launch([deviceA!]);
    const t1 = new Date(now.getTime() + 1000);
    const t2 = new Date(now.getTime() + 2000);
    const t3 = new Date(now.getTime() + 3000);
    await transitionExecution(t.ctx, { executionId: id!, deviceId: deviceA!, to: 'delivered', at: t1 });
    await transitionExecution(t.ctx, { executionId: id!, deviceId: deviceA!, to: 'running', at: t2 });
    expect((await row(id!)).secretParameters).toEqual({ Password: 'pw-secret' });
    const result = await transitionExecution(t.ctx, {
      executionId: id!, deviceId: deviceA!, to: 'succeeded', at: t3, exitCode: 0, stdoutTail: 'ok\0done', stderrTail: '',
      outputs: { restarted: 'yes', free_bytes: '1024', undeclared: 1 },
    });
    expect(result).toMatchObject({ id, status: 'succeeded', deviceId: deviceA });
    const done = await row(id!);
    expect(done).toMatchObject({ status: 'succeeded', exitCode: 0, deliveredAt: t1, startedAt: t2, finishedAt: t3, stdoutTail: 'ok\uFFFDdone' });
    expect(done.secretParameters).toEqual({ Password: '***' });
    expect(JSON.stringify(done)).not.toContain('pw-secret');
    expect(done.outputs).toEqual({ restarted: true, free_bytes: 1024 });
    expect(done.error).toMatch(/output undeclared is not declared/);
    const [device] = await t.ctx.db.select().from(devices).where(eq(devices.id, deviceA!));
    expect(device!.outputs).toEqual({ 'restart-spooler.restarted': true, 'restart-spooler.free_bytes': 1024 });
    expect(events.map((e) => [e.status, e.at])).toEqual([
      ['queued', now.toISOString()], ['delivered', t1.toISOString()], ['running', t2.toISOString()], ['succeeded', t3.toISOString()],
    ]);
  });

  it('merges later outputs over earlier ones', async () => {
    const [id] = await launch([deviceA!]);
    await transitionExecution(t.ctx, { executionId: id!, deviceId: deviceA!, to: 'succeeded', outputs: { free_bytes: 2048 } });
    const [device] = await t.ctx.db.select().from(devices).where(eq(devices.id, deviceA!));
    expect(device!.outputs).toEqual({ 'restart-spooler.restarted': true, 'restart-spooler.free_bytes': 2048 });
  });

  it('stamps deliveredAt when a queued execution starts running directly', async () => {
    const [id] = await launch([deviceA!]);
    await transitionExecution(t.ctx, { executionId: id!, deviceId: deviceA!, to: 'running' });
    const r = await row(id!);
    expect(r.deliveredAt).toEqual(now);
    expect(r.startedAt).toEqual(now);
  });

  it('refuses illegal moves, any change to a terminal state, and reports from another device', async () => {
    const [id] = await launch([deviceA!]);
    await transitionExecution(t.ctx, { executionId: id!, deviceId: deviceA!, to: 'running' });
    await expect(transitionExecution(t.ctx, { executionId: id!, deviceId: deviceA!, to: 'delivered' })).rejects.toMatchObject({ status: 409 });
    await expect(transitionExecution(t.ctx, { executionId: id!, deviceId: deviceA!, to: 'expired' })).rejects.toMatchObject({ status: 409 });
    await expect(transitionExecution(t.ctx, { executionId: id!, deviceId: deviceA!, to: 'queued' })).rejects.toMatchObject({ status: 409 });
    await expect(transitionExecution(t.ctx, { executionId: id!, deviceId: deviceB!, to: 'failed' })).rejects.toMatchObject({ status: 403 });
    await transitionExecution(t.ctx, { executionId: id!, deviceId: deviceA!, to: 'failed', exitCode: 2 });
    for (const to of ['succeeded', 'failed', 'canceled', 'running'] as const)
      await expect(transitionExecution(t.ctx, { executionId: id!, deviceId: deviceA!, to })).rejects.toMatchObject({
        status: 409, message: expect.stringMatching(/already failed/),
      });
    await expect(transitionExecution(t.ctx, { executionId: 'x', deviceId: deviceA!, to: 'running' })).rejects.toMatchObject({ status: 404 });
    await expect(
      transitionExecution(t.ctx, { executionId: '00000000-0000-4000-8000-000000000000', deviceId: deviceA!, to: 'running' }),
    ).rejects.toMatchObject({ status: 404 });
    expect((await row(id!)).exitCode).toBe(2);
  });

  it('lets only one of two racing terminal reports win', async () => {
    const [id] = await launch([deviceA!]);
    const results = await Promise.allSettled([
      transitionExecution(t.ctx, { executionId: id!, deviceId: deviceA!, to: 'succeeded' }),
      transitionExecution(t.ctx, { executionId: id!, deviceId: deviceA!, to: 'failed' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  it('hands a reconnecting agent its unfinished, unexpired work in seq order', async () => {
    const [fresh] = await seedDevices(t.ctx, 1, { platform: 'windows' });
    const ids = [...(await launch([fresh!])), ...(await launch([fresh!])), ...(await launch([fresh!], { expirySec: 60 }))];
    await transitionExecution(t.ctx, { executionId: ids[0]!, deviceId: fresh!, to: 'running' });
    const later = await launch([fresh!]);
    await transitionExecution(t.ctx, { executionId: later[0]!, deviceId: fresh!, to: 'canceled' });
    const pending = await pendingForDevice(t.ctx, fresh!);
    expect(pending.map((p) => p.executionId)).toEqual(ids);
    expect(pending.map((p) => p.status)).toEqual(['running', 'queued', 'queued']);
    expect(pending[1]!.envelope.payload.executionId).toBe(ids[1]);
    const saved = now;
    now = new Date(saved.getTime() + 61_000);
    expect((await pendingForDevice(t.ctx, fresh!)).map((p) => p.executionId)).toEqual(ids.slice(0, 2));
    now = saved;
    const both = await pendingForDevices(t.ctx, [fresh!, deviceB!, 'junk']);
    expect(both.get(fresh!)).toHaveLength(3);
    expect(await pendingForDevice(t.ctx, 'junk')).toEqual([]);
  });

  it('expires queued and delivered executions past their expiry, never running ones', async () => {
    const [queued] = await launch([deviceB!]);
    const [delivered] = await launch([deviceB!]);
    const [running] = await launch([deviceB!]);
    await transitionExecution(t.ctx, { executionId: delivered!, deviceId: deviceB!, to: 'delivered' });
    await transitionExecution(t.ctx, { executionId: running!, deviceId: deviceB!, to: 'running' });
    const [notYet] = await launch([deviceB!], { expirySec: 30 * 24 * 3600 });
    expect(await expireOverdue(t.ctx)).toBe(0);
    const saved = now;
    now = new Date(saved.getTime() + 25 * 3600 * 1000);
    events = [];
    const expired = await expireOverdue(t.ctx);
    now = saved;
    expect(expired).toBeGreaterThanOrEqual(2);
    const rows = await t.ctx.db.select().from(executions).where(inArray(executions.id, [queued!, delivered!, running!, notYet!]));
    const status = Object.fromEntries(rows.map((r) => [r.id, r.status]));
    expect(status).toEqual({ [queued!]: 'expired', [delivered!]: 'expired', [running!]: 'running', [notYet!]: 'queued' });
    expect(rows.find((r) => r.id === queued)!.secretParameters).toEqual({ Password: '***' });
    expect(events.filter((e) => e.id === queued || e.id === delivered).map((e) => e.status)).toEqual(['expired', 'expired']);
    await expect(transitionExecution(t.ctx, { executionId: queued!, deviceId: deviceB!, to: 'running' })).rejects.toMatchObject({ status: 409 });
  });

  it('sweeps on a timer until stopped', async () => {
    const [id] = await launch([deviceB!], { expirySec: 60 });
    const saved = now;
    now = new Date(saved.getTime() + 61_000);
    const sweeper = startExpirySweeper(t.ctx, 20);
    try {
      for (let i = 0; i < 100 && (await row(id!)).status !== 'expired'; i++) await new Promise((r) => setTimeout(r, 20));
    } finally {
      await sweeper.stop();
      now = saved;
    }
    expect((await row(id!)).status).toBe('expired');
  });

  describe('cancel', () => {
    it('cancels for a caller who may run the action, audits, notifies and publishes', async () => {
      const [id] = await launch([deviceA!]);
      await transitionExecution(t.ctx, { executionId: id!, deviceId: deviceA!, to: 'running' });
      events = [];
      notified = [];
      const res = await t.call('POST', `/api/v1/executions/${id}/cancel`, { headers: await t.as('admin') });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id, status: 'canceled', parameters: { Password: '***' } });
      expect(res.body.finishedAt).toBe(now.toISOString());
      expect(notified).toEqual([deviceA]);
      expect(events.map((e) => e.status)).toEqual(['canceled']);
      const [entry] = await t.ctx.db.select().from(auditLog).where(eq(auditLog.target, `execution:${id}`));
      expect(entry).toMatchObject({ action: 'execution.cancel', details: { from: 'running', action: 'restart-spooler' } });
      const again = await t.call('POST', `/api/v1/executions/${id}/cancel`, { headers: await t.as('admin') });
      expect(again.status).toBe(409);
    });

    it('refuses callers without the right, and hides out-of-scope executions', async () => {
      const [id] = await launch([deviceA!]);
      expect((await t.call('POST', `/api/v1/executions/${id}/cancel`, { headers: await t.as('viewer') })).status).toBe(403);
      expect((await t.call('POST', `/api/v1/executions/${id}/cancel`, { headers: await t.as('paris-no-run') })).status).toBe(403);
      expect((await t.call('POST', `/api/v1/executions/${id}/cancel`, { headers: await t.as('lyon-runner') })).status).toBe(404);
      expect((await t.call('GET', `/api/v1/executions/${id}`, { headers: await t.as('lyon-runner') })).status).toBe(404);
      expect((await t.call('POST', `/api/v1/executions/${id}/cancel`)).status).toBe(401);
      expect((await t.call('POST', '/api/v1/executions/not-a-uuid/cancel', { headers: await t.as('admin') })).status).toBe(400);
      expect((await row(id!)).status).toBe('queued');
    });
  });

  it('lists executions newest first with filters and scope', async () => {
    const viewer = await t.as('viewer');
    const all = await t.call('GET', '/api/v1/executions?limit=500', { headers: viewer });
    expect(all.status).toBe(200);
    const created = all.body.items.map((e: any) => e.createdAt);
    expect([...created].sort().reverse()).toEqual(created);
    const failed = await t.call('GET', '/api/v1/executions?status=failed', { headers: viewer });
    expect(failed.body.items.every((e: any) => e.status === 'failed')).toBe(true);
    const byAction = await t.call('GET', '/api/v1/executions?action=restart-spooler&limit=1', { headers: viewer });
    expect(byAction.body).toMatchObject({ total: all.body.total, next: 1 });
    expect((await t.call('GET', '/api/v1/executions?action=other', { headers: viewer })).body.total).toBe(0);
    expect((await t.call('GET', `/api/v1/executions?deviceId=${deviceB}`, { headers: viewer })).body.items.every((e: any) => e.deviceId === deviceB)).toBe(true);
    expect((await t.call('GET', '/api/v1/executions', { headers: await t.as('lyon-runner') })).body.total).toBe(0);
    for (const q of ['?status=done', '?deviceId=x', '?limit=1000', '?trigger=cron'])
      expect((await t.call('GET', `/api/v1/executions${q}`, { headers: viewer })).status, q).toBe(400);
    expect((await t.call('GET', '/api/v1/executions')).status).toBe(401);
  });
});
