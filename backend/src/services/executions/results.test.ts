import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExecutionEvent } from '@fixpoint/protocol';
import { devices } from '../../db/schema';
import { sampleAction, seedAction, seedDevices } from '../../testing/fleet';
import { createTestBackend, type TestBackend } from '../../testing/harness';
import { recordResults, type ResultReport } from './results';
import { transitionExecution } from './transition';

describe('batched results', () => {
  let t: TestBackend;
  let deviceIds: string[];
  const events: ExecutionEvent[] = [];
  beforeAll(async () => {
    t = await createTestBackend();
    await seedAction(t.ctx, sampleAction());
    deviceIds = await seedDevices(t.ctx, 4);
    t.ctx.events.subscribe((e) => events.push(e));
  });
  afterAll(() => t.close());

  const launch = async () => {
    const res = await t.call('POST', '/api/v1/executions', {
      headers: await t.as('admin'),
      body: { action: 'restart-spooler', devices: deviceIds, parameters: { Reason: 'r', Password: 'hunter2' } },
    });
    expect(res.status).toBe(202);
    return res.body.executions as { id: string; deviceId: string }[];
  };
  const get = async (id: string) => (await t.call('GET', `/api/v1/executions/${id}`, { headers: await t.as('admin') })).body;
  const report = (e: { id: string; deviceId: string }, over: Partial<ResultReport> = {}): ResultReport => ({
    executionId: e.id, deviceId: e.deviceId, status: 'succeeded', at: new Date(Date.now() - 500), exitCode: 0, error: null,
    stdoutTail: 'out', stderrTail: '', outputs: {}, ...over,
  });

  it('stores like transitionExecution does, for many executions in one go', async () => {
    const [a, b, c, d] = await launch();
    const [a2, b2] = await launch();
    // The reference: the same kind of report through the one-at-a-time verb.
    await transitionExecution(t.ctx, { ...report(a2!, { outputs: { restarted: 'true', free_bytes: 2147483648, nope: 1 }, stdoutTail: 'x\u0000y' }), to: 'succeeded' });
    await transitionExecution(t.ctx, { ...report(b2!, { status: 'failed', exitCode: -5, error: 'boom' }), to: 'failed' });
    events.length = 0;
    const outcome = await recordResults(t.ctx, [
      report(a!, { outputs: { restarted: 'true', free_bytes: 2147483648, nope: 1 }, stdoutTail: 'x\u0000y' }),
      report(b!, { status: 'failed', exitCode: -5, error: 'boom' }),
      report(a!, { status: 'failed' }), // a repeat within the batch
      report({ id: c!.id, deviceId: d!.deviceId }), // another device's execution
      report(d!, { status: 'timed_out', exitCode: null, stderrTail: 'e'.repeat(2 * 1024 * 1024) }),
    ]);
    expect(outcome.applied.map((x) => [x.id, x.status, x.outputs]).sort()).toEqual(
      [[a!.id, 'succeeded', true], [b!.id, 'failed', false], [d!.id, 'timed_out', false]].sort(),
    );
    expect(outcome.ignored).toHaveLength(2);
    const strip = (e: any) => ({ ...e, id: 0, requestId: 0, deviceId: 0, deviceName: 0, createdAt: 0, finishedAt: 0, expiresAt: 0 });
    expect(strip(await get(a!.id))).toEqual(strip(await get(a2!.id)));
    expect(strip(await get(b!.id))).toEqual(strip(await get(b2!.id)));
    expect(await get(a!.id)).toMatchObject({ parameters: { Password: '***' }, stdoutTail: 'x\uFFFDy', outputs: { restarted: true, free_bytes: 2 * 1024 ** 3 } });
    expect((await get(a!.id)).error).toMatch(/nope is not declared/);
    expect((await get(d!.id)).stderrTail).toHaveLength(1024 * 1024);
    expect((await get(c!.id)).status).toBe('queued');
    const [device] = await t.ctx.db.select().from(devices).where(eq(devices.id, a!.deviceId));
    expect(device!.outputs).toMatchObject({ 'restart-spooler.restarted': true, 'restart-spooler.free_bytes': 2 * 1024 ** 3 });
    expect(events.map((e) => e.status).sort()).toEqual(['failed', 'succeeded', 'timed_out']);
    // Terminal stays terminal.
    expect((await recordResults(t.ctx, [report(a!, { status: 'failed' })])).applied).toEqual([]);
    expect((await get(a!.id)).status).toBe('succeeded');
  });
});
