import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExecutionEvent } from '@fixpoint/protocol';
import { sampleAction, seedAction, seedDevices } from '../../testing/fleet';
import { createTestBackend, type TestBackend } from '../../testing/harness';
import { executionStatusesOf, recordProgress } from './progress';

describe('batched progress reports', () => {
  let t: TestBackend;
  let devicesIds: string[];
  const events: ExecutionEvent[] = [];
  beforeAll(async () => {
    t = await createTestBackend();
    await seedAction(t.ctx, sampleAction());
    devicesIds = await seedDevices(t.ctx, 3);
    t.ctx.events.subscribe((e) => events.push(e));
  });
  afterAll(() => t.close());

  const launch = async () => {
    const res = await t.call('POST', '/api/v1/executions', { headers: await t.as('admin'), body: { action: 'restart-spooler', devices: devicesIds, parameters: { Reason: 'r' } } });
    expect(res.status).toBe(202);
    return res.body.executions as { id: string; deviceId: string }[];
  };
  const get = async (id: string) => (await t.call('GET', `/api/v1/executions/${id}`, { headers: await t.as('admin') })).body;

  it('moves many executions forward in one statement, merges repeats, and ignores what it may not apply', async () => {
    const [a, b, c] = await launch();
    events.length = 0;
    const t1 = new Date(Date.now() - 2000);
    const t2 = new Date(Date.now() - 1000);
    const outcome = await recordProgress(t.ctx, [
      { executionId: a!.id, deviceId: a!.deviceId, status: 'running', at: t2 },
      { executionId: a!.id, deviceId: a!.deviceId, status: 'delivered', at: t1 },
      { executionId: b!.id, deviceId: b!.deviceId, status: 'delivered', at: t1 },
      // Another device's execution, and an unknown one.
      { executionId: c!.id, deviceId: a!.deviceId, status: 'running', at: t1 },
      { executionId: '00000000-0000-4000-8000-000000000000', deviceId: a!.deviceId, status: 'running', at: t1 },
    ]);
    expect(outcome.applied.map((x) => [x.id, x.status]).sort()).toEqual([[a!.id, 'running'], [b!.id, 'delivered']].sort());
    expect(outcome.ignored.map((r) => r.executionId)).toEqual([c!.id, '00000000-0000-4000-8000-000000000000']);
    expect(await get(a!.id)).toMatchObject({ status: 'running', deliveredAt: t1.toISOString(), startedAt: t2.toISOString() });
    expect(await get(c!.id)).toMatchObject({ status: 'queued', deliveredAt: null });
    expect(events.map((e) => [e.id, e.status]).sort()).toEqual([[a!.id, 'running'], [b!.id, 'delivered']].sort());
    // Backwards (running → delivered) changes nothing, and keeps the first delivery time.
    const again = await recordProgress(t.ctx, [{ executionId: a!.id, deviceId: a!.deviceId, status: 'delivered', at: new Date() }]);
    expect(again.applied).toEqual([]);
    expect((await get(a!.id)).deliveredAt).toBe(t1.toISOString());
    expect(await executionStatusesOf(t.ctx, a!.deviceId, [a!.id, c!.id])).toEqual(new Map([[a!.id, 'running']]));
    expect(await recordProgress(t.ctx, [])).toEqual({ applied: [], ignored: [] });
  });
});
